/**
 * Reads a file as lines of bytes without holding more than one line (plus one read chunk) in memory.
 * Lines are checked as UTF-8 (a bad line is reported, not silently replaced with U+FFFD).
 */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';

export interface TextLine {
  /** 1-based line number. */
  line: number;
  /** The line without its line ending; null when the bytes are not valid UTF-8. */
  text: string | null;
  /** Bytes of the line including its line ending (for throughput and progress). */
  bytes: number;
  /** The line started with a UTF-8 byte order mark (stripped from text). */
  bom: boolean;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

export async function* readLines(file: string, signal?: AbortSignal): AsyncGenerator<TextLine> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
  let carry: Buffer[] = [];
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      let bytes = chunk.subarray(start, nl);
      if (carry.length > 0) {
        bytes = Buffer.concat([...carry, bytes]);
        carry = [];
      }
      yield decodeLine(bytes, ++line, bytes.length + 1);
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length > 0) {
    const bytes = Buffer.concat(carry);
    yield decodeLine(bytes, ++line, bytes.length);
  }
}

function decodeLine(raw: Buffer, line: number, bytes: number): TextLine {
  let body = raw;
  const bom = line === 1 && body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (bom) body = body.subarray(3);
  if (body.length > 0 && body[body.length - 1] === CR) body = body.subarray(0, body.length - 1);
  const text = isUtf8(body) ? body.toString('utf8') : null;
  return { line, text, bytes, bom };
}
