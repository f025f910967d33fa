/**
 * Keeps ftpipe.lock current during a run: each finished stage is written at once (so a killed run keeps
 * what it finished), writes are serialised, stages gone from the recipe are dropped at the end.
 */
import { readFileSync, existsSync } from 'node:fs';
import { lockPath, orderEntry, writeLock, type LockEntry, type LockFile } from '../lock/lockfile.js';
import { canonicalJson } from '../store/digest.js';
import type { Recipe } from '../recipe/types.js';
import { writeFileAtomic } from '../store/atomic.js';
import { redactDeep } from '../secrets/redact.js';
import type { StageState } from './events.js';
import type { Workspace } from './workspace.js';

export class LockWriter {
  private chain: Promise<void> = Promise.resolve();
  private changed = false;

  constructor(private readonly recipe: Recipe, private readonly lock: LockFile, private readonly ws: Workspace) {}

  /** What the lock records for a stage of this recipe now (what it produced last). */
  entry(id: string): LockEntry | undefined {
    return this.lock.pipelines[this.recipe.name]?.stages[id];
  }

  /** Written only when the entry changed: a no-op rerun never rewrites (or re-serialises) the lock. */
  update(id: string, entry: LockEntry): Promise<void> {
    const section = (this.lock.pipelines[this.recipe.name] ??= { stages: {} });
    if (section.stages[id] && canonicalJson(orderEntry(section.stages[id])) === canonicalJson(orderEntry(entry))) return this.chain;
    section.stages[id] = entry;
    this.changed = true;
    return this.write();
  }

  async finish(states: Record<string, { state: StageState; durationMs: number; summary?: string; error?: { message: string } }>): Promise<void> {
    const section = this.lock.pipelines[this.recipe.name];
    if (section) {
      for (const id of Object.keys(section.stages)) {
        if (!this.recipe.stages.has(id)) {
          delete section.stages[id];
          this.changed = true;
        }
      }
    }
    if (this.changed || !existsSync(lockPath(this.recipe.root))) await this.write();
    await this.writeLastRun(states);
  }

  private write(): Promise<void> {
    this.chain = this.chain.then(() => writeLock(this.recipe.root, this.lock));
    return this.chain;
  }

  private async writeLastRun(states: Record<string, { state: StageState; durationMs: number; summary?: string; error?: { message: string } }>): Promise<void> {
    const all = existsSync(this.ws.lastRunFile) ? safeParse(readFileSync(this.ws.lastRunFile, 'utf8')) : {};
    all[this.recipe.name] = {
      finishedAt: new Date().toISOString(),
      stages: Object.fromEntries(Object.entries(states).map(([id, s]) => [id, { state: s.state, durationMs: s.durationMs, summary: s.summary, error: s.error?.message }])),
    };
    await writeFileAtomic(this.ws.lastRunFile, JSON.stringify(redactDeep(all), null, 2)); // error messages may quote a provider's reply
  }
}

function safeParse(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
