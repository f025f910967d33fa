/**
 * Provider job objects → ftpipe's plain Job. States are normalised so stages need to know one
 * vocabulary; the provider's own word is kept in rawStatus for logs and reports.
 */
import type { Job, JobEvent, JobStatus, UploadedFile } from './types.js';

const statusByRaw: Record<string, JobStatus> = {
  validating_files: 'preparing',
  preparing: 'preparing',
  created: 'queued',
  pending: 'queued', // Azure
  queued: 'queued',
  running: 'running',
  notrunning: 'queued', // Azure, between steps
  succeeded: 'succeeded',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  cancelling: 'running',
};

export function normaliseJobStatus(raw: string): JobStatus {
  const status = statusByRaw[raw.toLowerCase()];
  // An unknown word is a state we have not seen: treat it as still in flight rather than as final.
  return status ?? 'running';
}

export function isTerminal(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** The fields we read from a fine-tuning job (OpenAI's shape; compatible servers follow it). */
export interface RawJob {
  id: string;
  status: string;
  model: string;
  fine_tuned_model?: string | null;
  trained_tokens?: number | null;
  created_at: number;
  finished_at?: number | null;
  error?: { code?: string | null; message?: string | null; param?: string | null } | null;
  result_files?: string[] | null;
  hyperparameters?: Record<string, unknown> | null;
  method?: { type?: string; supervised?: { hyperparameters?: Record<string, unknown> }; dpo?: { hyperparameters?: Record<string, unknown> } } | null;
  metadata?: Record<string, string> | null;
}

export function toJob(raw: RawJob): Job {
  const methodHyper = raw.method?.supervised?.hyperparameters ?? raw.method?.dpo?.hyperparameters;
  // OpenAI sends error: {code: null, message: null} on healthy jobs; only a message makes it an error.
  const error = raw.error?.message ? { code: raw.error.code ?? 'job_failed', message: raw.error.message, param: raw.error.param ?? null } : null;
  return {
    id: raw.id,
    status: normaliseJobStatus(raw.status),
    rawStatus: raw.status,
    model: raw.model,
    fineTunedModel: raw.fine_tuned_model ?? null,
    trainedTokens: raw.trained_tokens ?? null,
    createdAt: raw.created_at,
    finishedAt: raw.finished_at ?? null,
    error,
    resultFiles: raw.result_files ?? [],
    hyperparameters: { ...(raw.hyperparameters ?? {}), ...(methodHyper ?? {}) },
    metadata: raw.metadata ?? {},
  };
}

export interface RawEvent {
  id: string;
  created_at: number;
  level: string;
  message: string;
  type?: string;
  data?: unknown;
}

export function toJobEvent(raw: RawEvent): JobEvent {
  const level = raw.level === 'warn' || raw.level === 'error' ? raw.level : 'info';
  const event: JobEvent = { id: raw.id, createdAt: raw.created_at, level, message: raw.message };
  if (raw.type === 'message' || raw.type === 'metrics') event.type = raw.type;
  if (raw.data && typeof raw.data === 'object' && !Array.isArray(raw.data)) event.data = raw.data as Record<string, unknown>;
  return event;
}

export interface RawFile {
  id: string;
  bytes: number;
  filename: string;
  status?: string;
  created_at: number;
}

export function toUploadedFile(raw: RawFile): UploadedFile {
  // Files without a status (newer API, compatible servers) are usable as soon as they exist.
  const status = raw.status === 'error' ? 'error' : raw.status === 'uploaded' || raw.status === 'pending' ? 'uploaded' : 'processed';
  return { id: raw.id, bytes: raw.bytes, filename: raw.filename, status, createdAt: raw.created_at };
}
