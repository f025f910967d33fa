/**
 * Content-addressed store under .ftpipe/objects. Files are stored by digest, read-only; a folder is
 * stored as a tree (.ftpipe/objects/<digest>.d/…). Putting is atomic: copy to a temp name, then rename.
 * An object is trusted only while its size (always) and digest (when used, through the stat cache) match.
 */
import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import { copyFile, cp, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempPathFor } from './atomic.js';
import { digestFile, digestTree, hexOf, type Digest } from './digest.js';

type Kind = 'file' | 'dir';

/** What verifies an object's digest cheaply (the workspace's stat cache). */
export interface DigestSource {
  digest(path: string): Promise<{ digest: Digest; size: number }>;
}

export class ObjectStore {
  constructor(readonly root: string, private readonly warn: (message: string) => void = () => {}) {}

  pathOf(digest: Digest, kind: Kind = 'file'): string {
    const hex = hexOf(digest);
    return join(this.root, hex.slice(0, 2), kind === 'dir' ? `${hex.slice(2)}.d` : hex.slice(2));
  }

  has(digest: Digest, kind: Kind = 'file'): boolean {
    return existsSync(this.pathOf(digest, kind));
  }

  /** Size and digest as recorded (cheap through the stat cache); a corrupt object is dropped with a warning when `drop`. */
  async verify(out: { digest: Digest; size: number; kind?: Kind }, digests: DigestSource, options: { drop: boolean }): Promise<boolean> {
    const kind = out.kind ?? 'file';
    const path = this.pathOf(out.digest, kind);
    let found: { digest: Digest; size: number };
    try {
      found = await digests.digest(path);
    } catch {
      return false;
    }
    if (found.digest === out.digest && found.size === out.size) return true;
    const why = found.size !== out.size ? `its size is ${found.size} bytes, the lock says ${out.size}` : 'its content no longer matches its digest';
    if (options.drop) this.drop(out.digest, kind, why);
    return false;
  }

  /** Move (or copy) a finished file into the store; returns its digest and size. */
  async putFile(source: string, options: { move?: boolean } = {}): Promise<{ digest: Digest; size: number }> {
    const { digest, size } = await digestFile(source);
    const target = this.pathOf(digest);
    if (!existsSync(target) || statSync(target).size !== size) {
      await mkdir(dirname(target), { recursive: true });
      const temp = tempPathFor(target);
      await removingOnFailure(temp, async () => {
        if (options.move) await rename(source, temp).catch(() => copyFile(source, temp));
        else await copyFile(source, temp);
        chmodSync(temp, 0o444);
        await rename(temp, target);
      });
    }
    return { digest, size };
  }

  async putTree(source: string): Promise<{ digest: Digest; size: number }> {
    const { digest, size, manifest } = await digestTree(source);
    const target = this.pathOf(digest, 'dir');
    if (!existsSync(target)) {
      const temp = tempPathFor(target);
      await removingOnFailure(temp, async () => {
        for (const entry of manifest) {
          await mkdir(dirname(join(temp, entry.path)), { recursive: true });
          await copyFile(join(source, entry.path), join(temp, entry.path));
        }
        await mkdir(dirname(target), { recursive: true });
        await rename(temp, target).catch((error) => {
          if (!existsSync(target)) throw error; // else another writer stored the same tree first
        });
      });
    }
    return { digest, size };
  }

  /** Make `target` show the object (hardlink when possible, else a copy); replaced atomically. */
  async materialize(digest: Digest, kind: Kind, target: string, options: { copy?: boolean } = {}): Promise<void> {
    const source = this.pathOf(digest, kind);
    await mkdir(dirname(target), { recursive: true });
    if (kind === 'file') {
      const [a, b] = await Promise.all([stat(source), stat(target).catch(() => undefined)]);
      if (!options.copy && b && a.ino === b.ino && a.dev === b.dev) return;
      const temp = tempPathFor(target);
      await removingOnFailure(temp, async () => {
        if (options.copy) await copyFile(source, temp);
        else await link(source, temp).catch(() => copyFile(source, temp));
        if (options.copy) chmodSync(temp, 0o644);
        await rename(temp, target);
      });
      return;
    }
    const temp = tempPathFor(target);
    await removingOnFailure(temp, async () => {
      await cp(source, temp, { recursive: true });
      await rm(target, { recursive: true, force: true });
      await rename(temp, target);
    });
  }

  private drop(digest: Digest, kind: Kind, why: string): void {
    this.warn(`stored object ${digest.slice(0, 19)}… is corrupt (${why}); dropped it, the stage that made it runs again`);
    try {
      rmSync(this.pathOf(digest, kind), { recursive: true, force: true });
    } catch {
      // a read-only store keeps it; it is still never used
    }
  }
}

async function removingOnFailure(temp: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
