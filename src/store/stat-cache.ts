/**
 * Like git's index and DVC's state DB: (size, mtime, inode) → digest, so unchanged inputs are never
 * re-hashed. An entry is trusted only while all three still match.
 */
import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { writeFileAtomic } from './atomic.js';
import { digestFile, digestTree, notRegular, type Digest } from './digest.js';

interface Entry {
  size: number;
  mtimeMs: number;
  ino: number;
  digest: Digest;
  kind: 'file' | 'dir';
}

export class StatCache {
  private entries: Record<string, Entry> = {};
  private dirty = false;

  constructor(private readonly file: string) {
    if (existsSync(file)) {
      try {
        this.entries = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        this.entries = {}; // a damaged cache only costs re-hashing
      }
    }
  }

  async digest(path: string): Promise<{ digest: Digest; size: number; kind: 'file' | 'dir' }> {
    const info = await stat(path);
    if (!info.isDirectory() && !info.isFile()) throw notRegular(path, info);
    if (info.isDirectory()) {
      // Folders are hashed from their files each time: their mtime does not see nested edits.
      const tree = await digestTree(path);
      return { digest: tree.digest, size: tree.size, kind: 'dir' };
    }
    const known = this.entries[path];
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs && known.ino === info.ino) {
      return { digest: known.digest, size: known.size, kind: 'file' };
    }
    const { digest, size } = await digestFile(path);
    this.entries[path] = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, digest, kind: 'file' };
    this.dirty = true;
    return { digest, size, kind: 'file' };
  }

  /** A file whose digest was just computed (an object being stored): its first use needs no re-hashing. */
  async record(path: string, digest: Digest): Promise<void> {
    const info = await stat(path);
    this.entries[path] = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, digest, kind: 'file' };
    this.dirty = true;
  }

  /** Not saved (read-only or full disk) only costs re-hashing next time. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    await writeFileAtomic(this.file, JSON.stringify(this.entries)).catch(() => undefined);
    this.dirty = false;
  }
}
