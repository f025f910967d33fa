/**
 * Drives fine-tuning jobs through OpenAI's states: validating_files → queued → running → succeeded |
 * failed | cancelled, with OpenAI's event messages. One job trains at a time (the trainer uses the CPU);
 * training is chunked per step with setImmediate, so the server keeps answering while a job runs.
 * Jobs left unfinished by a dead process are retrained from scratch on start (deterministic by seed).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { FileStore } from '../state/file-store.js';
import { TERMINAL_STATUSES, type JobRecord, type JobStore } from '../state/job-store.js';
import type { ModelStore } from '../state/model-store.js';
import type { FaultConfig } from '../faults.js';
import { JobFailure, readTrainingFile } from './read-training-file.js';
import { resolveHyperparameters } from '../trainer/hyperparameters.js';
import { TrainingRun, type StepMetrics } from '../trainer/training-run.js';
import { stableId } from '../random.js';
import { metricsCsv } from './metrics-csv.js';

export interface JobRunnerDeps {
  files: FileStore;
  jobs: JobStore;
  models: ModelStore;
  faults: FaultConfig;
  log: (line: string) => void;
}

export class JobRunner {
  private readonly trainingSlot = pLimit(1);
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
    for (const record of this.deps.jobs.list()) {
      if (TERMINAL_STATUSES.has(record.job.status)) continue;
      this.deps.log(`resuming job ${record.job.id} (was ${record.job.status})`);
      for (const checkpoint of record.checkpoints) await this.deps.models.delete(checkpoint.fine_tuned_model_checkpoint);
      record.checkpoints = [];
      Object.assign(record.job, { status: 'validating_files', fine_tuned_model: null, trained_tokens: null, result_files: [], error: null, finished_at: null });
      await this.deps.jobs.truncateEvents(record.job.id, 1); // keep "Created fine-tuning job"
      await this.deps.jobs.save(record);
      this.start(record.job.id);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.running]);
  }

  private async run(jobId: string): Promise<void> {
    const { jobs } = this.deps;
    const record = jobs.get(jobId)!;
    try {
      const data = await this.validate(record);
      if (this.stopped(record)) return;
      await this.setStatus(record, 'queued', 'Files validated, moving job to queued state');
      await this.trainingSlot(() => this.train(record, data));
    } catch (error) {
      if (!(error instanceof JobFailure)) throw error;
      record.job.error = { code: error.code, message: error.message, param: error.param };
      record.job.finished_at = Math.floor(Date.now() / 1000);
      jobs.addEvent(jobId, { level: 'error', message: error.message });
      await this.setStatus(record, 'failed');
    }
  }

  private async validate(record: JobRecord) {
    const { files, jobs } = this.deps;
    const job = record.job;
    jobs.addEvent(job.id, { message: `Validating training file: ${job.training_file}` });
    const training = await readTrainingFile(files.contentPath(job.training_file), { model: job.model, param: 'training_file' });
    let validation: typeof training | undefined;
    if (job.validation_file) {
      jobs.addEvent(job.id, { message: `Validating validation file: ${job.validation_file}` });
      validation = await readTrainingFile(files.contentPath(job.validation_file), { model: job.model, param: 'validation_file' });
    }
    const resolved = resolveHyperparameters(record.requested, training.examples.length);
    job.hyperparameters = resolved;
    job.method.supervised.hyperparameters = resolved;
    return { training, validation, resolved };
  }

  private async train(record: JobRecord, data: Awaited<ReturnType<JobRunner['validate']>>): Promise<void> {
    const { jobs, models, faults } = this.deps;
    const job = record.job;
    if (this.stopped(record)) return;
    await this.setStatus(record, 'running', 'Fine-tuning job started');
    const run = new TrainingRun(data.training.examples, data.validation?.examples ?? [], data.resolved, job.seed);
    const modelName = fineTunedModelName(job.model, job.user_provided_suffix, job.id);
    const steps: StepMetrics[] = [];
    while (!run.done) {
      const metrics = run.step();
      steps.push(metrics);
      if (faults.failJobAtStep !== undefined && metrics.step === faults.failJobAtStep) {
        throw new JobFailure('server_error', `Fine-tuning failed at step ${metrics.step} (fault injected by the local provider).`);
      }
      jobs.addEvent(job.id, { type: 'metrics', message: stepMessage(metrics), data: { ...metrics } });
      if (run.atEpochEnd) {
        const name = `${modelName}:ckpt-step-${metrics.step}`;
        const full = run.fullValidation();
        await models.save({ id: name, base: job.model, created: Math.floor(Date.now() / 1000), jobId: job.id, body: run.snapshot() });
        record.checkpoints.push({
          object: 'fine_tuning.job.checkpoint',
          id: stableId('ftckpt_', `${job.id}#${metrics.step}`),
          created_at: Math.floor(Date.now() / 1000),
          fine_tuned_model_checkpoint: name,
          fine_tuning_job_id: job.id,
          step_number: metrics.step,
          metrics: { ...metrics, ...(full ? { full_valid_loss: full.loss, full_valid_mean_token_accuracy: full.accuracy } : {}) },
        });
        await jobs.save(record);
        jobs.addEvent(job.id, { message: `Checkpoint created at step ${metrics.step}` });
      }
      await (faults.stepDelayMs ? sleep(faults.stepDelayMs) : new Promise((resolve) => setImmediate(resolve)));
      if (this.stopped(record)) return;
    }
    await models.save({ id: modelName, base: job.model, created: Math.floor(Date.now() / 1000), jobId: job.id, body: run.snapshot() });
    jobs.addEvent(job.id, { message: 'New fine-tuned model created' });
    const result = await this.deps.files.createFromText(Buffer.from(metricsCsv(steps)).toString('base64'), { filename: 'step_metrics.csv', purpose: 'fine-tune-results' });
    Object.assign(job, { fine_tuned_model: modelName, result_files: [result.id], trained_tokens: data.training.tokens * data.resolved.n_epochs, finished_at: Math.floor(Date.now() / 1000) });
    await this.setStatus(record, 'succeeded', 'The job has successfully completed');
  }

  /** Cancelled by a request, or the server is shutting down (the job then resumes on the next start). */
  private stopped(record: JobRecord): boolean {
    return this.closing || record.job.status === 'cancelled';
  }

  private async setStatus(record: JobRecord, status: JobRecord['job']['status'], message?: string): Promise<void> {
    record.job.status = status;
    await this.deps.jobs.save(record);
    if (message) this.deps.jobs.addEvent(record.job.id, { message });
    this.deps.log(`job ${record.job.id}: ${status}`);
  }
}

/** OpenAI's form `ft:<base>:<org>:<suffix>:<id>`, with "local" as the organisation. */
export function fineTunedModelName(base: string, suffix: string | null, jobId: string): string {
  return `ft:${base}:local:${suffix ?? ''}:${jobId.replace(/^ftjob-/, '').slice(0, 8)}`;
}

function stepMessage(m: StepMetrics): string {
  const valid = m.valid_loss !== undefined ? `, validation loss=${m.valid_loss.toFixed(4)}` : '';
  return `Step ${m.step}/${m.total_steps}: training loss=${m.train_loss.toFixed(4)}${valid}`;
}
