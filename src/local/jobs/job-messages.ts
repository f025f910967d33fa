/**
 * What each message of a job's work does to the job, with OpenAI's event messages. Every change goes
 * through JobStore.update (one at a time per job, visible once on disk); events are appended before the
 * state they lead to, and nothing changes a job that already ended (a cancel wins over late messages).
 */
import { TERMINAL_STATUSES, type JobRecord, type JobStatus, type JobStore } from '../state/job-store.js';
import type { FileStore } from '../state/file-store.js';
import type { ModelStore } from '../state/model-store.js';
import { stableId } from '../random.js';
import type { StepMetrics } from '../trainer/training-run.js';
import type { JobMessage } from './job-work.js';

export interface JobState {
  files: FileStore;
  jobs: JobStore;
  models: ModelStore;
}

/** Applies one message; returns the job's new status when it changed. */
export async function applyJobMessage(state: JobState, jobId: string, message: JobMessage): Promise<JobStatus | null> {
  const { jobs } = state;
  let status: JobStatus | null = null;
  await jobs.update(jobId, async (current) => {
    if (TERMINAL_STATUSES.has(current.job.status)) {
      // Trained after a cancel: the model file the work wrote must not become a model.
      if (message.type === 'trained' || message.type === 'checkpoint') await state.models.discard(message.model);
      return undefined;
    }
    const next = await nextRecord(state, current, message);
    if (next && next.job.status !== current.job.status) status = next.job.status;
    return next;
  });
  return status;
}

/** The runner let the job train. */
export async function markRunning(jobs: JobStore, jobId: string): Promise<boolean> {
  let started = false;
  await jobs.update(jobId, (current) => {
    if (TERMINAL_STATUSES.has(current.job.status)) return undefined;
    jobs.addEvent(jobId, { message: 'Fine-tuning job started' });
    started = true;
    return withJob(current, { status: 'running' });
  });
  return started;
}

async function nextRecord({ jobs, files, models }: JobState, current: JobRecord, message: JobMessage): Promise<JobRecord | undefined> {
  const id = current.job.id;
  switch (message.type) {
    case 'validating':
      jobs.addEvent(id, { message: `Validating validation file: ${current.job.validation_file}` });
      return undefined;
    case 'validated':
      jobs.addEvent(id, { message: 'Files validated, moving job to queued state' });
      return withJob(current, { status: 'queued', hyperparameters: message.resolved, method: { type: 'supervised', supervised: { hyperparameters: message.resolved } } });
    case 'step':
      jobs.addEvent(id, { type: 'metrics', message: stepMessage(message.metrics), data: { ...message.metrics } });
      return undefined;
    case 'checkpoint': {
      models.register({ id: message.model, base: current.job.model, created: message.created, jobId: id });
      const checkpoint = {
        object: 'fine_tuning.job.checkpoint' as const,
        id: stableId('ftckpt_', `${id}#${message.step}`),
        created_at: message.created,
        fine_tuned_model_checkpoint: message.model,
        fine_tuning_job_id: id,
        step_number: message.step,
        metrics: message.metrics,
      };
      jobs.addEvent(id, { message: `Checkpoint created at step ${message.step}` });
      return { ...current, checkpoints: [...current.checkpoints, checkpoint] };
    }
    case 'trained': {
      models.register({ id: message.model, base: current.job.model, created: message.created, jobId: id });
      const result = await files.createFromText(Buffer.from(message.metricsCsv).toString('base64'), { filename: 'step_metrics.csv', purpose: 'fine-tune-results' });
      jobs.addEvent(id, { message: 'New fine-tuned model created' });
      jobs.addEvent(id, { message: 'The job has successfully completed' });
      return withJob(current, { status: 'succeeded', fine_tuned_model: message.model, result_files: [result.id], trained_tokens: message.trainedTokens, finished_at: Math.floor(Date.now() / 1000) });
    }
    case 'failed':
      jobs.addEvent(id, { level: 'error', message: message.message });
      return withJob(current, { status: 'failed', error: { code: message.code, message: message.message, param: message.param }, finished_at: Math.floor(Date.now() / 1000) });
  }
}

function withJob(record: JobRecord, change: Partial<JobRecord['job']>): JobRecord {
  return { ...record, job: { ...record.job, ...change } };
}

function stepMessage(m: StepMetrics): string {
  const valid = m.valid_loss !== undefined ? `, validation loss=${m.valid_loss.toFixed(4)}` : '';
  return `Step ${m.step}/${m.total_steps}: training loss=${m.train_loss.toFixed(4)}${valid}`;
}
