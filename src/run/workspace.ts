/** The .ftpipe/ folder of a workspace: object store, run-cache, stat cache, per-stage state, outputs. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ObjectStore } from '../store/objects.js';
import { RunCache } from '../store/run-cache.js';
import { StatCache } from '../store/stat-cache.js';
import { Invalidations } from '../store/invalidations.js';
import { sweepDeadTemps } from '../store/temp-sweep.js';

export interface Workspace {
  root: string;
  dir: string;
  objects: ObjectStore;
  runCache: RunCache;
  /** Cached results a downstream stage found stale (see store/invalidations.ts). */
  invalidations: Invalidations;
  statCache: StatCache;
  tmpDir: string;
  stateDir: string;
  cacheDir: string;
  outDir: string;
  /** The workspace lock's claims (store/workspace-lock.ts). */
  lockDir: string;
  lastRunFile: string;
}

export function openWorkspace(root: string, warn: (message: string) => void): Workspace {
  const dir = join(root, '.ftpipe');
  return {
    root,
    dir,
    objects: new ObjectStore(join(dir, 'objects'), warn),
    runCache: new RunCache(join(dir, 'runs', 'cache'), warn),
    invalidations: new Invalidations(join(dir, 'state', 'invalidated')),
    statCache: new StatCache(join(dir, 'state', 'stat-cache.json')),
    tmpDir: join(dir, 'tmp'),
    stateDir: join(dir, 'state', 'stages'),
    cacheDir: join(dir, 'cache'),
    outDir: join(dir, 'out'),
    lockDir: join(dir, 'lock'),
    lastRunFile: join(dir, 'runs', 'last.json'),
  };
}

/**
 * Called holding the workspace lock: whatever is in tmp/ belongs to a run that was killed (never
 * published, safe to drop), and temp files of writers that died are swept everywhere.
 */
export async function prepareLockedWorkspace(ws: Workspace): Promise<void> {
  await rm(ws.tmpDir, { recursive: true, force: true });
  await sweepDeadTemps(ws.root);
}
