/** Writes JSON values one per line, batching small writes and honouring back-pressure. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';

const BATCH_CHARS = 1 << 16;

export class JsonlWriter {
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private pendingChars = 0;
  count = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path);
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

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
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
