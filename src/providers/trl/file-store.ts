/**
 * Uploaded training files, content-addressed under <data_dir>/files: the bytes as <sha256>.jsonl (read-only)
 * and the upload's record as <file id>.json. The id is derived from the digest, so uploading the same content
 * again (under any name) returns the same file without copying it twice.
 */
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FtpipeError } from '../../errors.js';
import { tempPathFor, writeFileAtomic } from '../../store/atomic.js';
import { digestFile, hexOf } from '../../store/digest.js';
import type { UploadedFile } from '../types.js';

interface FileRecord extends UploadedFile {
  sha256: string;
}

export class TrlFileStore {
  constructor(private readonly dir: string) {}

  async upload(path: string, filename = basename(path)): Promise<UploadedFile> {
    const { digest, size } = await digestFile(path);
    const hex = hexOf(digest);
    const id = `file-trl-${hex.slice(0, 24)}`;
    const existing = await this.record(id);
    if (existing && (await this.hasContent(hex, size))) return publicView(existing);
    await mkdir(this.dir, { recursive: true });
    const content = this.contentPath(hex);
    if (!(await this.hasContent(hex, size))) {
      const temp = tempPathFor(content);
      try {
        await copyFile(path, temp);
        await chmod(temp, 0o444);
        await rename(temp, content);
      } finally {
        await rm(temp, { force: true });
      }
    }
    const record: FileRecord = { id, bytes: size, filename, status: 'processed', createdAt: Math.floor(Date.now() / 1000), sha256: hex };
    await writeFileAtomic(this.recordPath(id), JSON.stringify(record, null, 2) + '\n');
    return publicView(record);
  }

  async list(): Promise<UploadedFile[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const records = await Promise.all(names.filter((n) => n.startsWith('file-trl-') && n.endsWith('.json')).map((n) => this.record(n.slice(0, -'.json'.length))));
    return records.filter((r): r is FileRecord => r !== undefined).map(publicView).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The absolute path of a file's bytes, for the training process. */
  async pathOf(id: string): Promise<string> {
    const record = await this.record(id);
    if (!record) throw new FtpipeError(`no file ${id} on the trl provider`, 'PROVIDER_NOT_FOUND', { hint: 'upload it first (the upload stage); files live in the provider\'s data_dir' });
    return this.contentPath(record.sha256);
  }

  async content(id: string): Promise<Buffer> {
    return readFile(await this.pathOf(id));
  }

  private async record(id: string): Promise<FileRecord | undefined> {
    if (!/^file-trl-[0-9a-f]{24}$/.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.recordPath(id), 'utf8')) as FileRecord;
    } catch {
      return undefined;
    }
  }

  private async hasContent(hex: string, size: number): Promise<boolean> {
    return stat(this.contentPath(hex)).then((s) => s.size === size, () => false);
  }

  private contentPath(hex: string): string {
    return join(this.dir, `${hex}.jsonl`);
  }

  private recordPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}

function publicView(record: FileRecord): UploadedFile {
  return { id: record.id, bytes: record.bytes, filename: record.filename, status: record.status, createdAt: record.createdAt };
}
