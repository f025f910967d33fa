/**
 * Keeps ftpipe.lock current during a run: each finished stage is written at once (so a killed run keeps
 * what it finished), writes are serialised, stages gone from the recipe are dropped at the end.
 */
import { readFileSync, existsSync } from 'node:fs';
import { writeLock, type LockEntry, type LockFile } from '../lock/lockfile.js';
import type { Recipe } from '../recipe/types.js';
import { writeFileAtomic } from '../store/atomic.js';
import type { StageState } from './events.js';
import type { Workspace } from './workspace.js';

export class LockWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly recipe: Recipe, private readonly lock: LockFile, private readonly ws: Workspace) {}

  update(id: string, entry: LockEntry): Promise<void> {
    const section = (this.lock.pipelines[this.recipe.name] ??= { stages: {} });
    section.stages[id] = entry;
    return this.write();
  }

  async finish(states: Record<string, { state: StageState; durationMs: number; summary?: string; error?: { message: string } }>): Promise<void> {
    const section = this.lock.pipelines[this.recipe.name];
    if (section) for (const id of Object.keys(section.stages)) if (!this.recipe.stages.has(id)) delete section.stages[id];
    await this.write();
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
    await writeFileAtomic(this.ws.lastRunFile, JSON.stringify(all, null, 2));
  }
}

function safeParse(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
