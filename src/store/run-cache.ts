/**
 * The run-cache: one record per stage key that ever succeeded, so any earlier result (an older param,
 * a deleted lock) is restored instead of recomputed. A damaged record is dropped with a warning.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue } from '../stage/types.js';
import { redactDeep } from '../secrets/redact.js';
import { writeFileAtomic } from './atomic.js';
import type { Digest } from './digest.js';

export type OutputRecord = { digest: Digest; size: number; kind: 'file' | 'dir' } | { value: JsonValue };

export interface RunRecord {
  key: string;
  uses: string;
  version: number;
  params: Record<string, unknown>;
  inputs: InputRecord[];
  outputs: Record<string, OutputRecord>;
  provider?: Record<string, unknown>;
  createdAt: string;
}

export type InputRecord = { param: string; digest: Digest; size: number } & ({ path: string } | { stage: string; output: string });

export class RunCache {
  constructor(private readonly dir: string, private readonly warn: (message: string) => void) {}

  private fileOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): RunRecord | undefined {
    const file = this.fileOf(key);
    if (!existsSync(file)) return undefined;
    try {
      const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
      if (record.key !== key || typeof record.outputs !== 'object') throw new Error('malformed');
      return record;
    } catch {
      this.warn(`run-cache entry ${key.slice(0, 12)} is damaged; ignoring it`);
      void rm(file, { force: true });
      return undefined;
    }
  }

  /** Forget a key's record (its result was found stale). */
  async drop(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }

  async put(record: RunRecord): Promise<void> {
    await writeFileAtomic(this.fileOf(record.key), JSON.stringify(redactDeep(record), null, 1));
  }
}
