/**
 * Uploaded and generated files: `files/<id>.json` (the OpenAI file object) next to `files/<id>.content`.
 * Uploads are streamed to a temp file and renamed into place, so a crash never leaves half a file listed.
 */
import { mkdirSync, readdirSync, readFileSync, createReadStream, type ReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tempPathFor, writeFileAtomic } from '../../store/atomic.js';
import { randomId } from '../random.js';

export const FILE_PURPOSES = ['assistants', 'assistants_output', 'batch', 'batch_output', 'fine-tune', 'fine-tune-results', 'vision', 'user_data'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: FilePurpose;
  status: 'uploaded' | 'processed' | 'error';
  status_details?: string | null;
}

export class FileStore {
  private readonly dir: string;
  /** createdMs orders files created within the same second. */
  private readonly files = new Map<string, { file: FileObject; createdMs: number }>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'files');
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const record = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as { file: FileObject; createdMs: number };
      this.files.set(record.file.id, record);
    }
  }

  /**
   * A temp path in the store's folder (same file system, so the final rename is atomic), named with this
   * process's pid: the temp of a killed server or run is swept (sweepDeadTempsIn) once that pid is gone.
   */
  tempPath(): string {
    return tempPathFor(join(this.dir, 'upload'));
  }

  /** Adopt a fully written temp file as a new file. */
  async adopt(tempPath: string, meta: { filename: string; purpose: FilePurpose }): Promise<FileObject> {
    const id = randomId('file-', 22);
    const { size } = await stat(tempPath);
    await rename(tempPath, this.contentPath(id));
    const createdMs = monotonicMs();
    const file: FileObject = { id, object: 'file', bytes: size, created_at: Math.floor(createdMs / 1000), filename: meta.filename, purpose: meta.purpose, status: 'processed' };
    const record = { file, createdMs };
    try {
      await writeFileAtomic(join(this.dir, `${id}.json`), JSON.stringify(record));
    } catch (error) {
      // Without its metadata the content would be an orphan no listing shows.
      await rm(this.contentPath(id), { force: true });
      throw error;
    }
    this.files.set(id, record);
    return file;
  }

  async createFromText(text: string, meta: { filename: string; purpose: FilePurpose }): Promise<FileObject> {
    const temp = this.tempPath();
    try {
      await writeFileAtomic(temp, text);
      return await this.adopt(temp, meta);
    } finally {
      await rm(temp, { force: true });
    }
  }

  get(id: string): FileObject | undefined {
    return this.files.get(id)?.file;
  }

  /** Newest first, like OpenAI's default order. */
  list(purpose?: string): FileObject[] {
    return [...this.files.values()]
      .filter((r) => !purpose || r.file.purpose === purpose)
      .sort(newestFirst)
      .map((r) => r.file);
  }

  contentPath(id: string): string {
    return join(this.dir, `${id}.content`);
  }

  openContent(id: string): ReadStream {
    return createReadStream(this.contentPath(id));
  }

  async delete(id: string): Promise<boolean> {
    if (!this.files.delete(id)) return false;
    await rm(join(this.dir, `${id}.json`), { force: true });
    await rm(this.contentPath(id), { force: true });
    return true;
  }
}

let lastMs = 0;

/** Milliseconds that never repeat within a process, so creation order is a total order. */
export function monotonicMs(): number {
  lastMs = Math.max(Date.now(), lastMs + 1);
  return lastMs;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Newest first by creation time in ms (the order stays stable across restarts). */
export function newestFirst(a: { createdMs: number }, b: { createdMs: number }): number {
  return b.createdMs - a.createdMs;
}
