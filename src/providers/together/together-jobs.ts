/**
 * ftpipe's JobSpec → Together's create body, and Together's jobs and events → ftpipe's. learning_rate:
 * ftpipe's learning_rate_multiplier scales Together's default rate (1e-5), unless the provider block
 * sets learning_rate itself; "auto" leaves Together's defaults (n_epochs 1, batch size "max").
 */
import type { FineTuningCreateParams, FinetuneEvent, FinetuneResponse } from 'together-ai/resources/fine-tuning';
import type { Job, JobEvent, JobSpec, JobStatus } from '../types.js';
import { suffixFor } from './job-suffix.js';

export const TOGETHER_DEFAULT_LEARNING_RATE = 1e-5;

export interface TogetherJobSettings {
  trainingType: 'lora' | 'full';
  loraRank?: number;
  loraAlpha?: number;
  nEvals?: number;
  nCheckpoints?: number;
  learningRate?: number;
}

export function createBody(spec: JobSpec, settings: TogetherJobSettings): FineTuningCreateParams {
  const h = spec.hyperparameters ?? {};
  const multiplier = typeof h.learning_rate_multiplier === 'number' ? h.learning_rate_multiplier : undefined;
  const learningRate = settings.learningRate ?? (multiplier !== undefined ? multiplier * TOGETHER_DEFAULT_LEARNING_RATE : undefined);
  const lora = { type: 'Lora' as const, lora_r: settings.loraRank ?? 8, lora_alpha: settings.loraAlpha ?? 2 * (settings.loraRank ?? 8) };
  return {
    model: spec.model,
    training_file: spec.trainingFile,
    ...(spec.validationFile ? { validation_file: spec.validationFile } : {}),
    ...(typeof h.n_epochs === 'number' ? { n_epochs: h.n_epochs } : {}),
    ...(typeof h.batch_size === 'number' ? { batch_size: h.batch_size } : {}),
    ...(learningRate !== undefined ? { learning_rate: learningRate } : {}),
    ...(settings.nEvals !== undefined ? { n_evals: settings.nEvals } : {}),
    ...(settings.nCheckpoints !== undefined ? { n_checkpoints: settings.nCheckpoints } : {}),
    ...(spec.seed !== undefined ? { random_seed: spec.seed } : {}),
    suffix: suffixFor(spec.suffix, spec.idempotencyKey),
    training_method: spec.method === 'dpo' ? { method: 'dpo', ...(typeof h.beta === 'number' ? { dpo_beta: h.beta } : {}) } : { method: 'sft', train_on_inputs: 'auto' },
    training_type: settings.trainingType === 'full' ? { type: 'Full' } : lora,
  };
}

const statusByRaw: Record<string, JobStatus> = {
  pending: 'queued',
  queued: 'queued',
  running: 'running',
  compressing: 'running',
  uploading: 'running',
  cancel_requested: 'running',
  cancelled: 'cancelled',
  error: 'failed',
  completed: 'succeeded',
};

/** The fields of Together's job objects we read (list, create and cancel answer a subset). */
export type RawTogetherJob = Pick<FinetuneResponse, 'id' | 'status'> & Partial<FinetuneResponse> & { suffix?: string };

/** A metrics "file" for the wait stage: Together serves metrics as JSON, fileContent turns this id into CSV. */
export const metricsFilePrefix = 'together-metrics:';

export function toJob(raw: RawTogetherJob, failure?: string): Job {
  const status = statusByRaw[raw.status] ?? 'running';
  const seconds = (iso?: string) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);
  const finished = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  return {
    id: raw.id,
    status,
    rawStatus: raw.status,
    model: raw.model ?? '',
    fineTunedModel: status === 'succeeded' ? (raw.model_output_name ?? null) : null,
    trainedTokens: raw.token_count ?? null,
    createdAt: seconds(raw.created_at) ?? 0,
    finishedAt: finished ? seconds(raw.updated_at) : null,
    error: status === 'failed' ? { code: 'job_error', message: failure ?? 'the fine-tuning job failed (see its events)' } : null,
    resultFiles: status === 'succeeded' ? [`${metricsFilePrefix}${raw.id}`] : [],
    hyperparameters: definedOnly({ n_epochs: raw.n_epochs, batch_size: raw.batch_size, learning_rate: raw.learning_rate, n_evals: raw.n_evals, n_checkpoints: raw.n_checkpoints, training_type: raw.training_type?.type, training_method: raw.training_method?.method }),
    metadata: raw.suffix ? { suffix: raw.suffix } : {},
  };
}

/** Together's events carry no id: their position in the (append-only) list is one. */
export function toJobEvents(jobId: string, events: FinetuneEvent[]): JobEvent[] {
  return events.map((event, index) => {
    const level = event.level === 'error' || event.type === 'job_error' ? 'error' : event.level === 'warning' ? 'warn' : 'info';
    const data = definedOnly({ step: event.step, total_steps: event.total_steps, type: event.type });
    return { id: `${jobId}#${index}`, createdAt: Math.floor(Date.parse(event.created_at) / 1000), level, message: event.message, type: 'message', data };
  });
}

/** Together's metrics (objects of numbers, global_step first) → the CSV the wait stage publishes. */
export function metricsCsv(rows: Array<Record<string, number>>): string {
  const columns = ['step', ...new Set(rows.flatMap((row) => Object.keys(row)).filter((c) => c !== 'global_step' && c !== 'step'))];
  const cell = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(c === 'step' ? (row.global_step ?? row.step) : row[c])).join(','))].join('\n') + '\n';
}

function definedOnly<T extends Record<string, unknown>>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null));
}
