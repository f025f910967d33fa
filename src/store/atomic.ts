/**
 * Every file ftpipe writes goes through here: temp file, fsync, then rename. A write that fails removes
 * its temp; temps carry the writer's pid so a later run can sweep those of writers that died (temp-sweep.ts).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `.<name>.<pid>.<random>.tmp` next to the target (or in `dir`): the form temp-sweep.ts recognises. */
export function tempPathFor(target: string, dir = dirname(target)): string {
  return join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Matches temp names made by tempPathFor (and `<file>.<pid>.<hex>.tmp`); group 1 is the writer's pid. */
export const TEMP_NAME = /\.(\d+)\.[0-9a-f]{8}\.tmp$/;

export interface AtomicWriteOptions {
  /** Where the temp lives when not next to the target (same file system), e.g. to keep it out of `git status`. */
  tempDir?: string;
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  if (options.tempDir) await mkdir(options.tempDir, { recursive: true });
  const temp = tempPathFor(target, options.tempDir);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    if (options.tempDir && (error as NodeJS.ErrnoException).code === 'EXDEV') return writeFileAtomic(target, data);
    throw namingTarget(error, target);
  }
}

/**
 * Creates `target` with `text` unless it exists, complete or not at all (written to a temp, then hard-linked,
 * which fails when the name is taken). Returns false when another writer got there first.
 */
export function createFileExclusive(target: string, text: string, tempDir?: string): boolean {
  const temp = tempPathFor(target, tempDir);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    linkSync(temp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw namingTarget(error, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** A failed write is reported against the file it was writing, not its temp name (or none, for write(2)). */
function namingTarget(error: unknown, target: string): unknown {
  if (error && typeof error === 'object' && 'code' in error) (error as NodeJS.ErrnoException).path = target;
  return error;
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
