/**
 * A random id per provider data folder, made once. Providers whose files, jobs and models live in the workspace
 * (local, trl) add it to their identity, so a fresh clone (an empty folder, a new id) never trusts remote ids in
 * the lock that it does not have.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function instanceId(dataDir: string): string {
  const file = join(dataDir, 'instance-id');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(6).toString('hex') + '\n', { flag: 'wx' });
    } catch (error) {
      // another process made it first: its id stands
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
