import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest ancestor of the recipe holding ftpipe.lock, .ftpipe/ or .git; else the recipe's folder. */
export function findWorkspaceRoot(recipeFile: string): string {
  const start = dirname(resolve(recipeFile));
  for (let dir = start; ; dir = dirname(dir)) {
    if (['ftpipe.lock', '.ftpipe', '.git'].some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
