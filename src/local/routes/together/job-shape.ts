/**
 * The core's job, seen through Together's shapes: FinetuneResponse with Together's states (pending,
 * queued, running, cancel_requested, cancelled, error, completed), FinetuneEvent, metrics and checkpoints.
 */
import type { EventObject, JobRecord } from '../../state/job-store.js';
import type { TogetherJob } from './together-state.js';

export type TogetherStatus = 'pending' | 'queued' | 'running' | 'compressing' | 'uploading' | 'cancel_requested' | 'cancelled' | 'error' | 'completed';

const statusOf: Record<JobRecord['job']['status'], TogetherStatus> = {
  validating_files: 'pending',
  queued: 'queued',
  running: 'running',
  succeeded: 'completed',
  failed: 'error',
  cancelled: 'cancelled',
};

export function togetherStatus(job: TogetherJob, record: JobRecord): TogetherStatus {
  const status = statusOf[record.job.status];
  return job.cancelRequested && status !== 'cancelled' && status !== 'completed' && status !== 'error' ? 'cancel_requested' : status;
}

const iso = (seconds: number | null) => (seconds === null ? undefined : new Date(seconds * 1000).toISOString());

export function finetuneResponse(job: TogetherJob, record: JobRecord, extra: { tokenCount?: number; totalPrice?: number } = {}) {
  const status = togetherStatus(job, record);
  const epochs = record.checkpoints.length;
  return {
    id: job.id,
    status,
    user_id: 'local-user',
    created_at: job.createdAt,
    updated_at: iso(record.job.finished_at) ?? job.createdAt,
    model: job.model,
    model_output_name: job.outputName,
    suffix: job.suffix ?? undefined,
    training_file: job.trainingFile,
    validation_file: job.validationFile ?? undefined,
    n_epochs: job.nEpochs,
    n_checkpoints: job.nCheckpoints,
    n_evals: job.nEvals,
    batch_size: job.batchSize,
    learning_rate: job.learningRate,
    training_method: job.trainingMethod,
    training_type: job.trainingType,
    random_seed: job.randomSeed,
    epochs_completed: status === 'completed' ? job.nEpochs : epochs,
    token_count: extra.tokenCount,
    total_price: extra.totalPrice,
  };
}

/** Core event messages → Together's event types; per-step metrics go to /metrics, not the event list. */
const eventTypes: Array<[RegExp, string]> = [
  [/^Created fine-tuning job/, 'job_pending'],
  [/^Validating (training|validation) file/, 'training_data_downloading'],
  [/^Files validated/, 'training_data_download_complete'],
  [/^Fine-tuning job started/, 'training_start'],
  [/^Checkpoint created/, 'checkpoint_save'],
  [/^New fine-tuned model created/, 'model_upload_complete'],
  [/^The job has successfully completed/, 'job_complete'],
  [/cancelled$/, 'job_stopped'],
];

export function finetuneEvents(job: TogetherJob, coreEvents: EventObject[]) {
  return coreEvents
    .filter((event) => event.type !== 'metrics')
    .map((event) => {
      const type = event.level === 'error' ? 'job_error' : (eventTypes.find(([pattern]) => pattern.test(event.message))?.[1] ?? 'warning');
      const step = /at step (\d+)/.exec(event.message)?.[1];
      return {
        object: 'fine-tune-event',
        created_at: new Date(event.created_at * 1000).toISOString(),
        message: event.message.replace(job.coreId, job.id),
        type,
        level: event.level === 'warn' ? 'warning' : event.level,
        ...(step ? { step: Number(step) } : {}),
      };
    });
}

export function finetuneMetrics(coreEvents: EventObject[]) {
  return coreEvents
    .filter((event) => event.type === 'metrics')
    .map(({ data }) => {
      const { step, total_steps: _total, ...rest } = data as Record<string, number>;
      return { global_step: step, ...rest };
    });
}

export function finetuneCheckpoints(job: TogetherJob, record: JobRecord) {
  const intermediate = record.checkpoints.slice(-job.nCheckpoints).map((c) => ({ checkpoint_type: `Intermediate (step ${c.step_number})`, created_at: new Date(c.created_at * 1000).toISOString(), path: `${job.outputName}:${c.step_number}`, step: c.step_number, checkpoint: 'adapter' as const }));
  if (record.job.status !== 'succeeded') return intermediate.reverse();
  const last = record.checkpoints.at(-1)?.step_number ?? 0;
  return [{ checkpoint_type: 'Final', created_at: iso(record.job.finished_at)!, path: job.outputName, step: last, checkpoint: 'model' as const }, ...intermediate.reverse()];
}
