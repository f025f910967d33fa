/**
 * Like git's index and DVC's state DB: (size, mtime, inode) → digest, so unchanged inputs are never
 * re-hashed, files inside folder inputs included. An entry is trusted only while all three still match.
 */
import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';
import pLimit from 'p-limit';
import { writeFileAtomic } from './atomic.js';
import { digestFile, listTree, manifestDigest, notRegular, type Digest } from './digest.js';

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
    if (info.isDirectory()) return { ...(await this.digestFolder(path)), kind: 'dir' };
    return { ...(await this.digestKnownFile(path, info)), kind: 'file' };
  }

  /**
   * A folder's mtime does not see nested edits, so it is listed each time (that sees added and removed
   * files) and each file goes through the stat cache; its digest is the same as digestTree's.
   */
  private async digestFolder(dir: string): Promise<{ digest: Digest; size: number }> {
    const paths = await listTree(dir);
    const limit = pLimit(16);
    const manifest = await Promise.all(paths.map((path) => limit(async () => ({ path, ...(await this.digestKnownFile(join(dir, path))) }))));
    this.forgetFilesGoneFrom(dir, new Set(paths.map((p) => join(dir, p))));
    return { digest: manifestDigest(manifest), size: manifest.reduce((total, m) => total + m.size, 0) };
  }

  private async digestKnownFile(path: string, known?: Stats): Promise<{ digest: Digest; size: number }> {
    const info = known ?? (await stat(path));
    const entry = this.entries[path];
    if (entry && entry.size === info.size && entry.mtimeMs === info.mtimeMs && entry.ino === info.ino) return { digest: entry.digest, size: entry.size };
    const { digest, size } = await digestFile(path);
    this.entries[path] = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, digest, kind: 'file' };
    this.dirty = true;
    return { digest, size };
  }

  /** Entries of files deleted from a folder would otherwise stay in the cache forever. */
  private forgetFilesGoneFrom(dir: string, present: Set<string>): void {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const path of Object.keys(this.entries)) {
      if (path.startsWith(prefix) && !present.has(path)) {
        delete this.entries[path];
        this.dirty = true;
      }
    }
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
