/**
 * Content-addressed store under .ftpipe/objects. Files are stored by digest, read-only; a folder is
 * stored as a tree (.ftpipe/objects/<digest>.d/…). Putting is atomic: copy to a temp name, then rename.
 */
import { chmodSync, existsSync } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempPathFor } from './atomic.js';
import { digestFile, digestTree, hexOf, type Digest } from './digest.js';

export class ObjectStore {
  constructor(readonly root: string) {}

  pathOf(digest: Digest, kind: 'file' | 'dir' = 'file'): string {
    const hex = hexOf(digest);
    return join(this.root, hex.slice(0, 2), kind === 'dir' ? `${hex.slice(2)}.d` : hex.slice(2));
  }

  has(digest: Digest, kind: 'file' | 'dir' = 'file'): boolean {
    return existsSync(this.pathOf(digest, kind));
  }

  /** Move (or copy) a finished file into the store; returns its digest and size. */
  async putFile(source: string, options: { move?: boolean } = {}): Promise<{ digest: Digest; size: number }> {
    const { digest, size } = await digestFile(source);
    const target = this.pathOf(digest);
    if (!existsSync(target)) {
      await mkdir(dirname(target), { recursive: true });
      const temp = tempPathFor(target);
      if (options.move) await rename(source, temp).catch(() => copyFile(source, temp));
      else await copyFile(source, temp);
      chmodSync(temp, 0o444);
      await rename(temp, target);
    }
    return { digest, size };
  }

  async putTree(source: string): Promise<{ digest: Digest; size: number }> {
    const { digest, size, manifest } = await digestTree(source);
    const target = this.pathOf(digest, 'dir');
    if (!existsSync(target)) {
      const temp = tempPathFor(target);
      for (const entry of manifest) {
        await mkdir(dirname(join(temp, entry.path)), { recursive: true });
        await copyFile(join(source, entry.path), join(temp, entry.path));
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target).catch(async (error) => {
        await rm(temp, { recursive: true, force: true });
        if (!existsSync(target)) throw error;
      });
    }
    return { digest, size };
  }

  /** Make `target` show the object (hardlink when possible, else a copy); replaced atomically. */
  async materialize(digest: Digest, kind: 'file' | 'dir', target: string): Promise<void> {
    const source = this.pathOf(digest, kind);
    await mkdir(dirname(target), { recursive: true });
    if (kind === 'file') {
      const [a, b] = await Promise.all([stat(source), stat(target).catch(() => undefined)]);
      if (b && a.ino === b.ino && a.dev === b.dev) return;
      const temp = tempPathFor(target);
      await link(source, temp).catch(() => copyFile(source, temp));
      await rename(temp, target);
      return;
    }
    await rm(target, { recursive: true, force: true });
    const { cp } = await import('node:fs/promises');
    await cp(source, target, { recursive: true });
  }
}
