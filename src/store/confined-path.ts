/**
 * Paths ftpipe may delete or overwrite for a stage (exec's `outs`) must be strictly inside the workspace
 * and outside what it must never touch: the root itself, .git, .ftpipe, and anything a symlink leads
 * out to. Checked when the recipe loads (lint) and again right before anything is removed.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Why `path` (as written in the recipe) is not a place ftpipe may write, or undefined when it is. */
export function unconfinedReason(root: string, path: string): string | undefined {
  if (path.trim() === '') return 'is empty';
  const absolute = resolve(root, path);
  const inside = relative(root, absolute);
  if (inside === '') return 'is the workspace root itself';
  if (inside.startsWith('..') || isAbsolute(inside)) return 'is outside the workspace';
  const top = inside.split(sep)[0];
  if (top === '.git' || top === '.ftpipe') return `is inside ${top}/, which ftpipe never writes for a stage`;
  if (inside.split(sep).includes('.git')) return 'is inside a .git folder';
  if (isSymlink(absolute)) return 'is a symlink (an out must be a real file or folder)';
  const parts = inside.split(sep);
  for (let i = 1; i < parts.length; i++) {
    const prefix = resolve(root, ...parts.slice(0, i));
    if (isSymlink(prefix) && !existsSync(prefix)) return `goes through a dangling symlink (${parts.slice(0, i).join('/')})`;
  }
  // A symlinked folder on the way could lead anywhere: compare real locations.
  const realRoot = realpathSync(root);
  const realParent = realpathSync(existingAncestor(dirname(absolute)));
  const fromRoot = relative(realRoot, realParent);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) return `leads outside the workspace through a symlink (to ${realParent})`;
  const realTop = fromRoot.split(sep)[0];
  if (realTop === '.git' || realTop === '.ftpipe') return `leads into ${realTop}/ through a symlink`;
  return undefined;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function existingAncestor(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}
