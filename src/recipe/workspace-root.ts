import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/** What marks a workspace root. `.ftpipe/` is not one: it is the root's cache and may be a stale leftover. */
export const rootMarkers = ['ftpipe.lock', '.git'] as const;

/**
 * The workspace root (README › Workspace root): the nearest folder at or above the recipe's folder that
 * holds ftpipe.lock or .git; else the current directory when the recipe lies inside it; else the
 * recipe's own folder. Relative paths in recipes resolve against it; .ftpipe/ and ftpipe.lock live in it.
 */
export function findWorkspaceRoot(recipeFile: string, cwd: string = process.cwd()): string {
  const start = dirname(resolve(cwd, recipeFile));
  for (let dir = start; ; dir = dirname(dir)) {
    if (rootMarkers.some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dirname(dir) === dir) break;
  }
  const here = resolve(cwd);
  return start === here || start.startsWith(here.endsWith(sep) ? here : here + sep) ? here : start;
}
