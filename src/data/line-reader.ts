/**
 * Reads a file as lines of bytes without holding more than one line (plus one read chunk) in memory.
 * Lines are checked as UTF-8 (a bad line is reported, not silently replaced with U+FFFD), and a line
 * longer than maxLineBytes is skipped over unread (reported as tooLong), so one huge line cannot take
 * the process's memory.
 */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';

export interface TextLine {
  /** 1-based line number. */
  line: number;
  /** The line without its line ending; null when the bytes are not valid UTF-8 or the line is too long. */
  text: string | null;
  /** Bytes of the line including its line ending (for throughput and progress). */
  bytes: number;
  /** The line started with a UTF-8 byte order mark (stripped from text). */
  bom: boolean;
  /** The line is longer than maxLineBytes: its bytes were skipped. */
  tooLong?: boolean;
  /** The line ended with "\r\n" (the CR is not in text). */
  cr?: boolean;
  /** With lossy: the bytes were not valid UTF-8 (text has U+FFFD in their place). */
  invalidUtf8?: boolean;
  /** The bytes text was decoded from (no BOM, no line ending): a view of the read buffer, for writing a line on unchanged. */
  raw?: Buffer;
}

export interface LineReaderOptions {
  /** Longest line read, in bytes without the "\n" (default: unbounded; the data stages' max_line_bytes). */
  maxLineBytes?: number;
  /** Decode a line that is not valid UTF-8 with U+FFFD (flagged invalidUtf8) instead of giving null. */
  lossy?: boolean;
}

/** The data stages' max_line_bytes default, 32 MiB: far above any real example, far below what would exhaust memory. */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;

export async function* readLines(file: string, signal?: AbortSignal, options: LineReaderOptions = {}): AsyncGenerator<TextLine> {
  const max = options.maxLineBytes ?? Infinity;
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
  let carry: Buffer[] = [];
  let carryBytes = 0;
  /** The current line is over the bound: its bytes are counted, not kept. */
  let skipping = false;
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      const length = carryBytes + nl - start;
      if (skipping || length > max) yield { line: ++line, text: null, bytes: length + 1, bom: false, tooLong: true };
      else yield decodeLine(carry.length > 0 ? Buffer.concat([...carry, chunk.subarray(start, nl)]) : chunk.subarray(start, nl), ++line, length + 1, options.lossy);
      carry = [];
      carryBytes = 0;
      skipping = false;
      start = nl + 1;
    }
    if (start === chunk.length) continue;
    carryBytes += chunk.length - start;
    if (carryBytes > max) {
      skipping = true;
      carry = [];
    } else carry.push(chunk.subarray(start));
  }
  if (skipping) yield { line: ++line, text: null, bytes: carryBytes, bom: false, tooLong: true };
  else if (carryBytes > 0) yield decodeLine(Buffer.concat(carry), ++line, carryBytes, options.lossy);
}

function decodeLine(raw: Buffer, line: number, bytes: number, lossy = false): TextLine {
  let body = raw;
  const bom = line === 1 && body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (bom) body = body.subarray(3);
  const cr = body.length > 0 && body[body.length - 1] === CR;
  if (cr) body = body.subarray(0, body.length - 1);
  if (isUtf8(body)) return { line, text: body.toString('utf8'), bytes, bom, cr, raw: body };
  return lossy ? { line, text: body.toString('utf8'), bytes, bom, cr, invalidUtf8: true } : { line, text: null, bytes, bom, cr };
}
