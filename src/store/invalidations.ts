/**
 * Results found stale after they were cached: a downstream stage reported that a value it consumed is
 * no good (the training job a job id names failed). One note per stage key; while it exists, the
 * engine neither skips nor restores that key, so the next run redoes the stage. The stage's next
 * success removes the note.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';

export interface InvalidationNote {
  /** The stage whose result is stale (its id in the recipe when reported). */
  stage: string;
  /** The downstream stage that found it out. */
  reportedBy: string;
  reason: string;
  at: string;
}

export class Invalidations {
  constructor(private readonly dir: string) {}

  private fileOf(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  get(key: string): InvalidationNote | undefined {
    const file = this.fileOf(key);
    if (!existsSync(file)) return undefined;
    try {
      const note = JSON.parse(readFileSync(file, 'utf8')) as InvalidationNote;
      return typeof note.reason === 'string' ? note : { stage: '?', reportedBy: '?', reason: 'marked stale by an earlier run', at: '' };
    } catch {
      // A damaged note still says "stale": rerunning is the safe reading.
      return { stage: '?', reportedBy: '?', reason: 'marked stale by an earlier run', at: '' };
    }
  }

  async put(key: string, note: InvalidationNote): Promise<void> {
    await writeFileAtomic(this.fileOf(key), JSON.stringify(note, null, 1));
  }

  async clear(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }
}
