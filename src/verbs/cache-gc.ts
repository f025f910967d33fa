/** Keep what the lock (any recipe) or a recent run-cache record refers to; delete the rest. */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readLock } from '../lock/lockfile.js';
import type { OutputRecord, RunRecord } from '../store/run-cache.js';
import { openWorkspace, prepareLockedWorkspace, type Workspace } from '../run/workspace.js';
import { acquireWorkspaceLock } from '../store/workspace-lock.js';
import { collectResponseCache } from '../eval/response-cache-gc.js';
import { collectLocalModels, type RecordedStage } from '../local/state/collect-models.js';

/** Holds the workspace lock throughout: a run in progress keeps its temps and the objects it is publishing. */
export async function collectGarbage(rootArg: string, options: { keepDays: number; dryRun?: boolean; wait?: boolean }) {
  const root = resolve(rootArg);
  const ws = openWorkspace(root, () => {});
  const lock = await acquireWorkspaceLock(ws.lockDir, { wait: options.wait, command: 'ftpipe cache gc' });
  try {
    return await collectLocked(ws, options);
  } finally {
    lock.release();
  }
}

async function collectLocked(ws: Workspace, options: { keepDays: number; dryRun?: boolean }) {
  const root = ws.root;
  const live = new Set<string>();
  const keep = (outputs: Record<string, OutputRecord>) => {
    for (const o of Object.values(outputs)) if (!('value' in o)) live.add(ws.objects.pathOf(o.digest, o.kind ?? 'file'));
  };
  // What the local provider's collection keeps (the lock's entries and the recent run records).
  const recorded: RecordedStage[] = [];
  for (const pipeline of Object.values(readLock(root).pipelines)) {
    for (const entry of Object.values(pipeline.stages)) {
      keep(entry.outputs);
      recorded.push(entry);
    }
  }
  const cutoff = Date.now() - options.keepDays * 86_400_000;
  let records = 0;
  const runsDir = join(ws.dir, 'runs', 'cache');
  for (const file of await filesUnder(runsDir)) {
    const record = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Partial<RunRecord>;
    if (record.createdAt && Date.parse(record.createdAt) >= cutoff && record.outputs) {
      keep(record.outputs);
      recorded.push(record);
    } else {
      records++;
      if (!options.dryRun) await rm(file, { force: true });
    }
  }
  let objects = 0;
  let bytes = 0;
  for (const path of await entriesUnder(ws.objects.root)) {
    if (live.has(path)) continue;
    objects++;
    bytes += await sizeOf(path);
    if (!options.dryRun) await rm(path, { recursive: true, force: true });
  }
  if (!options.dryRun) await prepareLockedWorkspace(ws);
  const responses = await collectResponseCache(join(ws.cacheDir, 'responses'), options);
  const local = await collectLocalModels(root, recorded, options);
  return { objects, bytes, records, kept: live.size, responses, local };
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const sub of await readdir(dir)) for (const f of await readdir(join(dir, sub))) out.push(join(dir, sub, f));
  return out;
}

async function entriesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const sub of await readdir(dir)) for (const f of await readdir(join(dir, sub))) if (!f.startsWith('.')) out.push(join(dir, sub, f));
  return out;
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}
