/** sha256 digests of files, folders and plain values ("sha256:<hex>"). */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { FtpipeError } from '../errors.js';
import { join, relative } from 'node:path';

export type Digest = `sha256:${string}`;

export function hexOf(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

export async function digestFile(path: string): Promise<{ digest: Digest; size: number }> {
  // Opened without blocking and checked before reading: a FIFO would otherwise wait forever for a writer.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(path, info);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { digest: `sha256:${hash.digest('hex')}`, size };
  } finally {
    await handle.close();
  }
}

type FileKind = { isFIFO(): boolean; isSocket(): boolean; isDirectory(): boolean };
export const NOT_REGULAR_HINT = 'inputs must be regular files or folders of them: write the data to a file first';

/** Inputs are files or folders: a FIFO, socket or device cannot be hashed (or would hang). */
export function notRegular(path: string, info: FileKind): FtpipeError {
  return new FtpipeError(`${path} is ${kindOf(info)}, not a regular file`, 'INPUT_NOT_REGULAR', { hint: NOT_REGULAR_HINT, exitCode: 1 });
}

export function kindOf(info: FileKind): string {
  return info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : info.isDirectory() ? 'a folder' : 'a device';
}

/** Files of a folder, sorted, relative paths with '/'. */
export async function listTree(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(relative(dir, full).split('\\').join('/'));
      else if (entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice()) throw notRegular(full, entry);
    }
  };
  await walk(dir);
  return files.sort();
}

/** A folder's digest is the digest of its manifest: sorted "path digest size" lines. */
export async function digestTree(dir: string): Promise<{ digest: Digest; size: number; manifest: Array<{ path: string; digest: Digest; size: number }> }> {
  const manifest = [];
  let size = 0;
  for (const path of await listTree(dir)) {
    const file = await digestFile(join(dir, path));
    manifest.push({ path, ...file });
    size += file.size;
  }
  return { digest: manifestDigest(manifest), size, manifest };
}

/** The digest of a folder from its sorted manifest (also built from the stat cache: src/store/stat-cache.ts). */
export function manifestDigest(manifest: Array<{ path: string; digest: Digest; size: number }>): Digest {
  return digestValue(manifest.map((m) => `${m.path} ${m.digest} ${m.size}`).join('\n'));
}

export function digestValue(value: unknown): Digest {
  return `sha256:${createHash('sha256').update(typeof value === 'string' ? value : canonicalJson(value)).digest('hex')}`;
}

/** JSON with sorted keys: the same value always hashes the same, whatever the YAML order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}
