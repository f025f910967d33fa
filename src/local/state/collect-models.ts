/**
 * `ftpipe cache gc` for the local provider: fine-tuned models and checkpoints of ftpipe's own jobs that
 * nothing refers to any more (no ftpipe.lock entry, no recent run record) are deleted. Kept: every model
 * an entry names, the final model of every job an entry names, every model of an unfinished job, models
 * of jobs some other client created (not tagged by ftpipe), and everything in a folder a server is
 * using right now.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { liveServers } from './data-dir-servers.js';
import { modelsDirOf } from './model-store.js';
import { TERMINAL_STATUSES, type JobRecord } from './job-store.js';

/** What an engine record says (a lock entry or a run-cache record): only the parts gc reads. */
export interface RecordedStage {
  params?: unknown;
  outputs?: unknown;
  provider?: Record<string, unknown>;
}

export interface LocalCollection {
  models: number;
  bytes: number;
  /** Folders left alone because a server is using them. */
  skipped: string[];
}

const DEFAULT_DATA_DIR = join('.ftpipe', 'local-provider');

export async function collectLocalModels(root: string, recorded: RecordedStage[], options: { dryRun?: boolean } = {}): Promise<LocalCollection> {
  const referenced = new Set<string>();
  for (const stage of recorded) collectStrings([stage.params, stage.outputs], referenced);
  const result: LocalCollection = { models: 0, bytes: 0, skipped: [] };
  for (const dataDir of dataDirs(root, recorded)) {
    const modelsDir = modelsDirOf(dataDir);
    if (!existsSync(modelsDir)) continue;
    const servers = liveServers(dataDir);
    if (servers.length > 0) {
      result.skipped.push(`${relative(root, dataDir) || dataDir} (in use by process ${servers.join(', ')})`);
      continue;
    }
    const owners = jobsByModel(dataDir);
    for (const name of readdirSync(modelsDir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const id = decodeURIComponent(name.slice(0, -'.json'.length));
      if (keep(id, owners.get(id), referenced)) continue;
      const path = join(modelsDir, name);
      result.models++;
      result.bytes += statSync(path).size;
      if (!options.dryRun) await rm(path, { force: true });
    }
  }
  return result;
}

function keep(id: string, owner: { record: JobRecord; final: boolean } | undefined, referenced: Set<string>): boolean {
  if (referenced.has(id)) return true;
  // A model no job lists is a leftover of a process that died mid-training (it is retrained anyway).
  if (!owner) return false;
  const { job } = owner.record;
  if (!TERMINAL_STATUSES.has(job.status)) return true;
  if (!job.metadata?.ftpipe_key) return true;
  return owner.final && referenced.has(job.id);
}

/** model id → the job that made it (its final model or one of its checkpoints). */
function jobsByModel(dataDir: string): Map<string, { record: JobRecord; final: boolean }> {
  const owners = new Map<string, { record: JobRecord; final: boolean }>();
  const jobsDir = join(dataDir, 'jobs');
  if (!existsSync(jobsDir)) return owners;
  for (const name of readdirSync(jobsDir)) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    let record: JobRecord;
    try {
      record = JSON.parse(readFileSync(join(jobsDir, name), 'utf8')) as JobRecord;
    } catch {
      continue;
    }
    for (const checkpoint of record.checkpoints ?? []) owners.set(checkpoint.fine_tuned_model_checkpoint, { record, final: false });
    if (record.job?.fine_tuned_model) owners.set(record.job.fine_tuned_model, { record, final: true });
  }
  return owners;
}

/** The default folder and every local data_dir recorded inside the workspace. */
function dataDirs(root: string, recorded: RecordedStage[]): string[] {
  const dirs = new Set<string>([resolve(root, DEFAULT_DATA_DIR)]);
  for (const { provider } of recorded) {
    if (provider?.kind !== 'local' || typeof provider.data_dir !== 'string') continue;
    const dir = isAbsolute(provider.data_dir) ? provider.data_dir : resolve(root, provider.data_dir);
    if (!relative(root, dir).startsWith('..')) dirs.add(dir);
  }
  return [...dirs];
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectStrings(v, into));
}
