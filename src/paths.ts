import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (holds package.json, schemas/, stages/), from src/ or dist/src/. */
export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

export const schemasDir = join(packageRoot, 'schemas');

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`ftpipe: cannot find the package root above ${start} (this is a bug)`);
    dir = parent;
  }
}
