/**
 * Job state, owned by the adapter: <data_dir>/jobs/<job id>/job.json (written atomically), next to what the
 * driver writes there (spec.json in, events.jsonl, exit.json, supervisor.json, logs and the model out). Jobs are
 * found by the stage key they were created for, so a rerun adopts the job instead of starting another.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic.js';
import type { JobError, JobSpec, JobStatus } from '../types.js';

export interface JobState {
  id: string;
  /** The stage key (JobSpec.idempotencyKey). */
  key: string;
  status: JobStatus;
  /** Seconds since the epoch, like the other providers' jobs. */
  createdAt: number;
  finishedAt: number | null;
  /** What the recipe asked for (e.g. gpt-4o-mini-…) and what is trained (tiny, Qwen/…, a path). */
  requestedModel: string;
  baseModel: string;
  fineTunedModel: string;
  method: 'supervised' | 'dpo';
  finetune: 'lora' | 'full';
  trainingFile: string;
  validationFile: string | null;
  hyperparameters: Record<string, unknown>;
  metadata: Record<string, string>;
  launcher: string;
  command: string[];
  /** The supervisor process (leader of the job's process group) and its start time, to tell pid reuse apart. */
  pid: number | null;
  processStart: string | null;
  exitCode: number | null;
  error: JobError | null;
  cancelRequested?: boolean;
}

export class TrlJobStore {
  constructor(readonly dir: string) {}

  newId(): string {
    return `ftjob-trl-${randomBytes(8).toString('hex')}`;
  }

  jobDir(id: string): string {
    return join(this.dir, id);
  }

  file(id: string, name: string): string {
    return join(this.jobDir(id), name);
  }

  async read(id: string): Promise<JobState | undefined> {
    if (!/^ftjob-trl-[0-9a-f]{16}$/.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.file(id, 'job.json'), 'utf8')) as JobState;
    } catch {
      return undefined;
    }
  }

  async write(state: JobState): Promise<void> {
    await writeFileAtomic(this.file(state.id, 'job.json'), JSON.stringify(state, null, 2) + '\n');
  }

  /** Every job, newest first. */
  async list(): Promise<JobState[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const states = await Promise.all(names.map((name) => this.read(name)));
    return states.filter((s): s is JobState => s !== undefined).sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  }
}

/** ft:<base>:trl:<suffix>:<8 chars of the job id>, like OpenAI's ft:<model>:<org>:<suffix>:<id>. */
export function fineTunedName(baseModel: string, suffix: string | undefined, jobId: string): string {
  const base = baseModel.replace(/\/+$/, '').split(/[\\/]/).pop() || 'model';
  return ['ft', base, 'trl', suffix ?? '', jobId.slice(-8)].join(':');
}

export function specMetadata(spec: JobSpec): Record<string, string> {
  return { ...spec.metadata, ftpipe_key: spec.idempotencyKey };
}
