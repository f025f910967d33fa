import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` whose name looks like a temp, relative to it. */
export function strayTemps(dir: string, base = dir): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (/\.tmp$/.test(entry.name)) found.push(path.slice(base.length + 1));
    else if (entry.isDirectory() && entry.name !== '.git') found.push(...strayTemps(path, base));
  }
  return found;
}
