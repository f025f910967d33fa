/** Writes JSON values one per line, batching small writes into 1 MB chunks and honouring back-pressure. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';

const BATCH_CHARS = 1 << 20;
const NEWLINE = Buffer.from('\n');

export class JsonlWriter {
  private readonly stream: WriteStream;
  /** Lines not yet written: JSON texts, or the bytes of lines kept as read. */
  private pending: Array<string | Buffer> = [];
  private pendingChars = 0;
  count = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: BATCH_CHARS });
    // Remember a write error instead of crashing the process; the next write or close throws it.
    this.stream.on('error', (error) => (this.failure = error));
  }

  private failure: Error | undefined;

  async write(value: unknown): Promise<void> {
    return this.writeJsonText(JSON.stringify(value));
  }

  /** Writes a value already serialized with JSON.stringify (one line, no newline). */
  async writeJsonText(json: string): Promise<void> {
    if (this.failure) throw this.failure;
    const line = json + '\n';
    this.pending.push(line);
    this.pendingChars += line.length;
    this.count++;
    if (this.pendingChars >= BATCH_CHARS) await this.flush();
  }

  /** Writes a line's bytes as they are (valid UTF-8 JSON without a newline), e.g. a line kept unchanged. */
  async writeJsonBytes(bytes: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.pending.push(bytes, NEWLINE);
    this.pendingChars += bytes.length + 1;
    this.count++;
    if (this.pendingChars >= BATCH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // Runs of strings are joined before encoding: one conversion per run, not per line.
    const parts: Buffer[] = [];
    let run: string[] = [];
    for (const part of this.pending) {
      if (typeof part === 'string') run.push(part);
      else {
        if (run.length > 0) parts.push(Buffer.from(run.join('')));
        run = [];
        parts.push(part);
      }
    }
    if (run.length > 0) parts.push(Buffer.from(run.join('')));
    this.pending = [];
    this.pendingChars = 0;
    if (!this.stream.write(parts.length === 1 ? parts[0] : Buffer.concat(parts))) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** Writes a JSON document (reports). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}
