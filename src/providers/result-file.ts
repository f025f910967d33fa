/**
 * Result files (the per-step metrics CSV) come base64-encoded from OpenAI in practice and as plain
 * CSV from other servers; accept both. Detection: a CSV starts with its header "step,…", which is
 * not what base64 of a CSV looks like, while base64 text decodes to printable text.
 */
const base64Text = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

export function decodeResultFile(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1').trim();
  if (text.length === 0 || !base64Text.test(text)) return bytes;
  const decoded = Buffer.from(text, 'base64');
  // A one-word plain file can also look like base64; keep it unless the decoding is readable text.
  return isReadableText(decoded) ? decoded : bytes;
}

function isReadableText(buffer: Buffer): boolean {
  if (buffer.length === 0) return false;
  const text = buffer.toString('utf8');
  if (text.includes('\uFFFD')) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000E-\u001F]/.test(text) && /[,\n]/.test(text);
}

export interface MetricsRow {
  step: number;
  [column: string]: number | null;
}

/** The metrics CSV as rows of numbers (empty cells → null). */
export async function parseMetricsCsv(csv: Buffer | string): Promise<MetricsRow[]> {
  const { parse } = await import('csv-parse/sync');
  const records = parse(csv, { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  return records.map((record) => {
    const row: MetricsRow = { step: Number(record.step) };
    for (const [column, value] of Object.entries(record)) {
      if (column === 'step') continue;
      const n = Number.parseFloat(value);
      row[column] = value === '' || !Number.isFinite(n) ? null : n;
    }
    return row;
  });
}
