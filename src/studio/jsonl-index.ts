/**
 * A line-offset index of a JSONL file, built in one streaming pass that also hashes the bytes, so
 * pages are read by offset (memory stays flat: 8 bytes per line) and a save can tell whether the file
 * changed on disk since it was loaded.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** What the file looked like when it was loaded: a save refuses to overwrite anything else. */
export interface FileFingerprint {
  mtimeMs: number;
  size: number;
  sha256: string;
}

export class JsonlIndex {
  /** Start offset of line i (0-based) at [i]; [lineCount] is the end of the file. */
  private starts: Float64Array;
  readonly lineCount: number;

  private constructor(
    readonly file: string,
    starts: Float64Array,
    lineCount: number,
    readonly fingerprint: FileFingerprint,
  ) {
    this.starts = starts;
    this.lineCount = lineCount;
  }

  static async build(file: string): Promise<JsonlIndex> {
    const before = await stat(file);
    const hash = createHash('sha256');
    let starts = new Float64Array(1024);
    let count = 0;
    let position = 0;
    let lineOpen = false;
    const push = (offset: number) => {
      if (count + 1 >= starts.length) {
        const grown = new Float64Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[count++] = offset;
    };
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      let from = 0;
      for (;;) {
        if (!lineOpen) {
          if (from >= chunk.length) break;
          push(position + from);
          lineOpen = true;
        }
        const nl = chunk.indexOf(0x0a, from);
        if (nl === -1) break;
        lineOpen = false;
        from = nl + 1;
      }
      position += chunk.length;
    }
    starts[count] = position;
    const fingerprint = { mtimeMs: before.mtimeMs, size: position, sha256: hash.digest('hex') };
    return new JsonlIndex(file, starts, count, fingerprint);
  }

  /** Raw bytes of the given 1-based lines (each with its line ending), in the order asked. */
  async readLines(lines: number[]): Promise<Buffer[]> {
    const handle = await open(this.file, 'r');
    try {
      const out: Buffer[] = [];
      for (const line of lines) {
        const start = this.starts[line - 1];
        const length = this.starts[line] - start;
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, start);
        out.push(buffer);
      }
      return out;
    } finally {
      await handle.close();
    }
  }
}

/** Splits a raw line into its text and its line ending ("\n", "\r\n" or "" on the last line). */
export function splitLineEnding(raw: Buffer): { text: string; ending: string } {
  let end = raw.length;
  if (end > 0 && raw[end - 1] === 0x0a) end--;
  if (end > 0 && raw[end - 1] === 0x0d) end--;
  return { text: raw.subarray(0, end).toString('utf8'), ending: raw.subarray(end).toString('latin1') };
}

/** The fingerprint of the file as it is now, hashing only when mtime and size still match. */
export async function fileUnchanged(file: string, loaded: FileFingerprint): Promise<boolean> {
  const now = await stat(file).catch(() => null);
  if (!now || now.size !== loaded.size || now.mtimeMs !== loaded.mtimeMs) return false;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex') === loaded.sha256;
}
