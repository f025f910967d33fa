/**
 * Drives fine-tuning jobs through OpenAI's states: validating_files → queued → running → succeeded |
 * failed | cancelled, with OpenAI's event messages. The CPU work runs off the event loop (job-thread.ts);
 * its messages become state in job-messages.ts, one change at a time per job. Two jobs validate at a
 * time and one trains at a time. Jobs left unfinished by a dead process are retrained from scratch on
 * start (deterministic by seed).
 */
import pLimit from 'p-limit';
import { invalidRequest } from '../api-error.js';
import type { FileStore } from '../state/file-store.js';
import { TERMINAL_STATUSES, type JobObject, type JobStore } from '../state/job-store.js';
import { modelsDirOf, type ModelStore } from '../state/model-store.js';
import type { FaultConfig } from '../faults.js';
import { startJobWork, type JobWorkHandle } from './job-thread.js';
import { applyJobMessage, markRunning } from './job-messages.js';
import type { JobSpec } from './job-work.js';

export interface JobRunnerDeps {
  dataDir: string;
  files: FileStore;
  jobs: JobStore;
  models: ModelStore;
  faults: FaultConfig;
  log: (line: string) => void;
}

/** One job's work in progress: its handle, when its files validated, when it ended. */
interface JobSession {
  handle: JobWorkHandle;
  /** true once the job is queued; false when the work ended first (failed, cancelled, stopping). */
  queued: Promise<boolean>;
  /** The work has ended and all its messages are applied. */
  finished: Promise<void>;
}

export class JobRunner {
  private readonly validationSlots = pLimit(2);
  private readonly trainingSlot = pLimit(1);
  private readonly sessions = new Map<string, JobSession>();
  private readonly running = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly deps: JobRunnerDeps) {}

  /** Start (or restart) a job's work in the background. */
  start(jobId: string): void {
    const work = this.run(jobId).catch((error) => this.deps.log(`job ${jobId}: internal error: ${error instanceof Error ? error.stack : error}`));
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Jobs a previous process left unfinished: forget their progress and train them again. */
  async resumeUnfinished(): Promise<void> {
    const { jobs, models, log } = this.deps;
    for (const record of jobs.list()) {
      if (TERMINAL_STATUSES.has(record.job.status)) continue;
      log(`resuming job ${record.job.id} (was ${record.job.status})`);
      // Checkpoints, and any model file the dead process wrote for this job, are trained again.
      for (const model of models.list()) if (model.jobId === record.job.id) await models.discard(model.id);
      await jobs.truncateEvents(record.job.id, 1); // keep "Created fine-tuning job"
      await jobs.update(record.job.id, (current) => ({
        ...current,
        checkpoints: [],
        job: { ...current.job, status: 'validating_files', fine_tuned_model: null, trained_tokens: null, result_files: [], error: null, finished_at: null },
      }));
      this.start(record.job.id);
    }
  }

  /** POST …/cancel: the job ends `cancelled` whatever it was doing (validating, queued or training). */
  async cancel(jobId: string): Promise<JobObject> {
    const record = await this.deps.jobs.update(jobId, (current) => {
      if (TERMINAL_STATUSES.has(current.job.status)) {
        throw invalidRequest(`Job ${jobId} has already ${current.job.status === 'cancelled' ? 'been cancelled' : current.job.status}; it cannot be cancelled.`, 'fine_tuning_job_id');
      }
      this.deps.jobs.addEvent(jobId, { message: 'Fine-tuning job cancelled' });
      return { ...current, job: { ...current.job, status: 'cancelled', finished_at: Math.floor(Date.now() / 1000) } };
    });
    this.deps.log(`job ${jobId}: cancelled`);
    await this.sessions.get(jobId)?.handle.stop();
    return record.job;
  }

  /** Stops every job's work at its next step (they resume on the next start). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.sessions.values()].map((session) => session.handle.stop()));
    await Promise.all([...this.running]);
  }

  private async run(jobId: string): Promise<void> {
    const session = await this.validationSlots(async () => {
      if (this.ended(jobId)) return undefined;
      const started = this.startSession(jobId);
      await started.queued;
      return started;
    });
    if (!session) return;
    try {
      if (!(await session.queued)) return;
      await this.trainingSlot(async () => {
        if (this.ended(jobId) || !(await markRunning(this.deps.jobs, jobId))) return session.handle.stop();
        this.deps.log(`job ${jobId}: running`);
        session.handle.go();
        await session.finished;
      });
    } finally {
      await session.finished;
      this.sessions.delete(jobId);
    }
  }

  private startSession(jobId: string): JobSession {
    const { jobs, files, log } = this.deps;
    const record = jobs.get(jobId)!;
    const job = record.job;
    jobs.addEvent(jobId, { message: `Validating training file: ${job.training_file}` });
    const spec: JobSpec = {
      jobId,
      model: job.model,
      modelName: fineTunedModelName(job.model, job.user_provided_suffix, jobId),
      trainingPath: files.contentPath(job.training_file),
      validationPath: job.validation_file ? files.contentPath(job.validation_file) : null,
      requested: record.requested,
      seed: job.seed,
      modelsDir: modelsDirOf(this.deps.dataDir),
      failJobAtStep: this.deps.faults.failJobAtStep,
      stepDelayMs: this.deps.faults.stepDelayMs,
    };
    let resolveQueued!: (queued: boolean) => void;
    const queued = new Promise<boolean>((resolve) => (resolveQueued = resolve));
    let changes = Promise.resolve();
    const handle = startJobWork(spec, (message) => {
      changes = changes
        .then(() => applyJobMessage(this.deps, jobId, message))
        .then((status) => {
          if (status) log(`job ${jobId}: ${status}`);
          if (status === 'queued') resolveQueued(true);
        })
        .catch((error) => log(`job ${jobId}: internal error: ${error instanceof Error ? error.stack : error}`));
    });
    log(`job ${jobId}: validating files (${handle.mode === 'thread' ? 'in a worker thread' : 'inline'})`);
    const finished = handle.done.then(() => changes).then(() => resolveQueued(false));
    const session = { handle, queued, finished };
    this.sessions.set(jobId, session);
    return session;
  }

  private ended(jobId: string): boolean {
    return this.closing || TERMINAL_STATUSES.has(this.deps.jobs.get(jobId)!.job.status);
  }
}

/** OpenAI's form `ft:<base>:<org>:<suffix>:<id>`, with "local" as the organisation. */
export function fineTunedModelName(base: string, suffix: string | null, jobId: string): string {
  return `ft:${base}:local:${suffix ?? ''}:${jobId.replace(/^ftjob-/, '').slice(0, 8)}`;
}
