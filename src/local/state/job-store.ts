/**
 * Fine-tuning jobs: `jobs/<id>.json` (the job object, written atomically on every state change) and
 * `jobs/<id>.events.jsonl` (events appended as they happen; a torn last line after a crash is skipped).
 * Event ids derive from the job id and the event's position, so a retrained job repeats the same ids.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic.js';
import { stableId } from '../random.js';
import { newestFirst } from './file-store.js';
import type { RequestedHyperparameters } from '../trainer/hyperparameters.js';

export type JobStatus = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobObject {
  object: 'fine_tuning.job';
  id: string;
  model: string;
  created_at: number;
  finished_at: number | null;
  fine_tuned_model: string | null;
  organization_id: string;
  result_files: string[];
  status: JobStatus;
  validation_file: string | null;
  training_file: string;
  hyperparameters: { n_epochs: number | 'auto'; batch_size: number | 'auto'; learning_rate_multiplier: number | 'auto' };
  trained_tokens: number | null;
  error: { code: string; message: string; param: string | null } | null;
  seed: number;
  estimated_finish: number | null;
  integrations: null;
  metadata: Record<string, string> | null;
  user_provided_suffix: string | null;
  method: { type: 'supervised'; supervised: { hyperparameters: JobObject['hyperparameters'] } };
}

export interface EventObject {
  object: 'fine_tuning.job.event';
  id: string;
  created_at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  data: Record<string, unknown>;
}

export interface CheckpointObject {
  object: 'fine_tuning.job.checkpoint';
  id: string;
  created_at: number;
  fine_tuned_model_checkpoint: string;
  fine_tuning_job_id: string;
  step_number: number;
  metrics: Record<string, number>;
}

export interface JobRecord {
  job: JobObject;
  createdMs: number;
  /** The hyperparameters as asked ("auto" kept), resolved again if the job is retrained after a restart. */
  requested: RequestedHyperparameters;
  checkpoints: CheckpointObject[];
}

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export class JobStore {
  private readonly dir: string;
  private readonly records = new Map<string, JobRecord>();
  private readonly events = new Map<string, EventObject[]>();
  private readonly pending = new Map<string, Promise<JobRecord>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'jobs');
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const record = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as JobRecord;
      this.records.set(record.job.id, record);
      this.events.set(record.job.id, readEvents(this.eventsPath(record.job.id)));
    }
  }

  get(id: string): JobRecord | undefined {
    return this.records.get(id);
  }

  /** Newest first. */
  list(): JobRecord[] {
    return [...this.records.values()].sort(newestFirst);
  }

  /** Stores a new job. */
  async save(record: JobRecord): Promise<void> {
    if (!this.events.has(record.job.id)) this.events.set(record.job.id, []);
    await writeFileAtomic(join(this.dir, `${record.job.id}.json`), JSON.stringify(record));
    this.records.set(record.job.id, record);
  }

  /**
   * Changes a job: `change` gets the current record and returns the new one (or undefined: no change).
   * Changes of one job run one at a time, and the new record is what readers see only once it is on
   * disk, so a client never sees a state (say "succeeded") that a crash could take back, nor a state
   * before the events that led to it.
   */
  update(id: string, change: (current: JobRecord) => JobRecord | undefined | Promise<JobRecord | undefined>): Promise<JobRecord> {
    const previous = this.pending.get(id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(async () => {
      const current = this.records.get(id);
      if (!current) throw new Error(`no job ${id}`);
      const changed = await change(current);
      if (!changed) return current;
      await writeFileAtomic(join(this.dir, `${id}.json`), JSON.stringify(changed));
      this.records.set(id, changed);
      return changed;
    });
    this.pending.set(id, next);
    void next.finally(() => this.pending.get(id) === next && this.pending.delete(id)).catch(() => {});
    return next;
  }

  addEvent(jobId: string, event: { level?: EventObject['level']; message: string; type?: EventObject['type']; data?: Record<string, unknown> }): EventObject {
    const list = this.events.get(jobId) ?? [];
    const full: EventObject = {
      object: 'fine_tuning.job.event',
      id: stableId('ftevent-', `${jobId}#${list.length}`),
      created_at: Math.floor(Date.now() / 1000),
      level: event.level ?? 'info',
      message: event.message,
      type: event.type ?? 'message',
      data: event.data ?? {},
    };
    list.push(full);
    this.events.set(jobId, list);
    appendFileSync(this.eventsPath(jobId), `${JSON.stringify(full)}\n`);
    return full;
  }

  /** Newest first, like OpenAI. */
  listEvents(jobId: string): EventObject[] {
    return [...(this.events.get(jobId) ?? [])].reverse();
  }

  /** Keep only the first `count` events (a job retrained after a restart replays the rest). */
  async truncateEvents(jobId: string, count: number): Promise<void> {
    const kept = (this.events.get(jobId) ?? []).slice(0, count);
    this.events.set(jobId, kept);
    await writeFileAtomic(this.eventsPath(jobId), kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  private eventsPath(jobId: string): string {
    return join(this.dir, `${jobId}.events.jsonl`);
  }
}

function readEvents(path: string): EventObject[] {
  if (!existsSync(path)) return [];
  const events: EventObject[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as EventObject);
    } catch {
      break; // a line torn by a crash: everything after it is unreliable
    }
  }
  return events;
}
