/**
 * Fireworks fine-tuning jobs, idempotent by id: the job id is derived from the stage key
 * (`ftpipe-<40 hex>`, then `-2`, `-3` … for retries after a failed or cancelled job), so a create whose
 * answer was lost is repeated safely: Fireworks says ALREADY_EXISTS and the job is read back.
 * ftpipe's learning_rate_multiplier scales Fireworks' default learning rate (1e-4).
 */
import { createHash } from 'node:crypto';
import type { Job, JobSpec, JobStatus } from '../types.js';

export const FIREWORKS_DEFAULT_LEARNING_RATE = 1e-4;
export type Collection = 'supervisedFineTuningJobs' | 'dpoJobs';

export function jobId(idempotencyKey: string, attempt: number): string {
  const hex = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return attempt === 1 ? `ftpipe-${hex}` : `ftpipe-${hex}-${attempt}`;
}

/** The output model id: the train stage's suffix (cleaned) and a hash of the job id, at most 63 characters. */
export function outputModelId(suffix: string | undefined, id: string): string {
  const slug = (suffix ?? 'ft').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'ft';
  return `${slug}-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

export interface FireworksJobSettings {
  loraRank?: number;
  learningRate?: number;
}

export function createBody(spec: JobSpec, id: string, settings: FireworksJobSettings, dataset: (fileId: string) => string): Record<string, unknown> {
  const h = spec.hyperparameters ?? {};
  const multiplier = typeof h.learning_rate_multiplier === 'number' ? h.learning_rate_multiplier : undefined;
  const learningRate = settings.learningRate ?? (multiplier !== undefined ? multiplier * FIREWORKS_DEFAULT_LEARNING_RATE : undefined);
  const training = {
    baseModel: spec.model,
    outputModel: outputModelId(spec.suffix, id),
    ...(typeof h.n_epochs === 'number' ? { epochs: h.n_epochs } : {}),
    ...(typeof h.batch_size === 'number' ? { batchSize: h.batch_size } : {}),
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(settings.loraRank !== undefined ? { loraRank: settings.loraRank } : {}),
  };
  const common = { dataset: dataset(spec.trainingFile), displayName: spec.suffix ?? id, ...(spec.validationFile ? { evaluationDataset: dataset(spec.validationFile) } : {}) };
  if (spec.method === 'dpo') return { ...common, trainingConfig: training, lossConfig: { method: 'DPO', ...(typeof h.beta === 'number' ? { klBeta: h.beta } : {}) } };
  return { ...common, ...training };
}

export interface RawFireworksJob {
  name: string;
  state?: string;
  status?: { code?: string; message?: string };
  createTime?: string;
  completedTime?: string;
  outputModel?: string;
  baseModel?: string;
  epochs?: number;
  learningRate?: number;
  loraRank?: number;
  batchSize?: number;
  jobProgress?: { percent?: number; epoch?: number; inputTokens?: number };
  trainingConfig?: { baseModel?: string; outputModel?: string; epochs?: number; learningRate?: number; loraRank?: number; batchSize?: number };
}

const statusByState: Record<string, JobStatus> = {
  JOB_STATE_CREATING: 'preparing',
  JOB_STATE_VALIDATING: 'preparing',
  JOB_STATE_CREATING_INPUT_DATASET: 'preparing',
  JOB_STATE_PENDING: 'queued',
  JOB_STATE_RE_QUEUEING: 'queued',
  JOB_STATE_COMPLETED: 'succeeded',
  JOB_STATE_EARLY_STOPPED: 'succeeded',
  JOB_STATE_FAILED: 'failed',
  JOB_STATE_EXPIRED: 'failed',
  JOB_STATE_CANCELLED: 'cancelled',
  JOB_STATE_DELETING: 'cancelled',
  JOB_STATE_DELETING_CLEANING_UP: 'cancelled',
};

/** Job ids in ftpipe are the resource path under the account: "supervisedFineTuningJobs/<id>". */
export function toJob(raw: RawFireworksJob): Job {
  const state = raw.state ?? 'JOB_STATE_UNSPECIFIED';
  // Running, writing results, evaluating, paused, idle, cancelling: still in flight.
  const status = statusByState[state] ?? 'running';
  const config = raw.trainingConfig ?? raw;
  const seconds = (iso?: string) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);
  return {
    id: raw.name.split('/').slice(2).join('/'),
    status,
    rawStatus: state,
    model: config.baseModel ?? '',
    fineTunedModel: status === 'succeeded' ? (config.outputModel ?? null) : null,
    trainedTokens: raw.jobProgress?.inputTokens ?? null,
    createdAt: seconds(raw.createTime) ?? 0,
    finishedAt: seconds(raw.completedTime),
    error: status === 'failed' ? { code: raw.status?.code ?? 'JOB_STATE_FAILED', message: raw.status?.message || 'the fine-tuning job failed' } : null,
    resultFiles: status === 'succeeded' ? [`${metricsFilePrefix}${raw.name}`] : [],
    hyperparameters: Object.fromEntries(Object.entries({ epochs: config.epochs, learningRate: config.learningRate, loraRank: config.loraRank, batchSize: config.batchSize }).filter(([, v]) => v !== undefined)),
    metadata: {},
  };
}

/** The wait stage's metrics "file" for a job: fileContent reads the job's signed metrics URL. */
export const metricsFilePrefix = 'fireworks-metrics:';
