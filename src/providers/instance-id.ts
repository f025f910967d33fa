/**
 * A random id per provider data folder, made once. Providers whose files, jobs and models live in the workspace
 * (local, trl) add it to their identity, so a fresh clone (an empty folder, a new id) never trusts remote ids in
 * the lock that it does not have.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileExclusive } from '../store/atomic.js';

/** With `create: false` (read-only verbs), a folder without an id yet reads as "(none yet)" and nothing is written. */
export function instanceId(dataDir: string, options: { create?: boolean } = {}): string {
  const file = join(dataDir, 'instance-id');
  if (!existsSync(file)) {
    if (options.create === false) return '(none yet)';
    // Of two processes creating it at once, one wins and both read its id (never a half-written file).
    mkdirSync(dataDir, { recursive: true });
    createFileExclusive(file, randomBytes(6).toString('hex') + '\n');
  }
  return readFileSync(file, 'utf8').trim();
}
