/**
 * The body of POST /v1/fine_tuning/jobs checked at the edge, with OpenAI's messages for what is refused
 * at once (unknown model or file, bad hyperparameters). Data problems surface later, when the job validates.
 */
import { invalidRequest } from '../api-error.js';
import { modelFacts } from '../../models/catalog.js';
import type { FileStore } from '../state/file-store.js';
import type { RequestedHyperparameters } from '../trainer/hyperparameters.js';

export interface CreateJobRequest {
  model: string;
  trainingFile: string;
  validationFile: string | null;
  suffix: string | null;
  seed: number | null;
  metadata: Record<string, string> | null;
  hyperparameters: RequestedHyperparameters;
}

export function parseCreateJob(body: Record<string, unknown>, files: FileStore): CreateJobRequest {
  const model = requiredString(body, 'model');
  const facts = modelFacts(model);
  if (model.startsWith('ft:') || !facts?.fineTunable) throw invalidRequest(`Model ${model} is not available for fine-tuning or does not exist.`, 'model', 'model_not_available');
  const trainingFile = requiredString(body, 'training_file');
  checkFile(files, trainingFile, 'training_file');
  const validationFile = optionalString(body, 'validation_file');
  if (validationFile) checkFile(files, validationFile, 'validation_file');
  const suffix = optionalString(body, 'suffix');
  if (suffix !== null && (suffix.length > 64 || !/^[A-Za-z0-9_.-]*$/.test(suffix))) {
    throw invalidRequest('suffix must be at most 64 characters of letters, digits, "-", "_" and ".".', 'suffix');
  }
  const seed = body.seed ?? null;
  if (seed !== null && (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > 2147483647)) throw invalidRequest('seed must be an integer between 0 and 2147483647.', 'seed');
  return { model, trainingFile, validationFile, suffix, seed: seed as number | null, metadata: parseMetadata(body.metadata), hyperparameters: parseHyperparameters(body) };
}

/** `method.supervised.hyperparameters` wins over the deprecated top-level `hyperparameters`. */
function parseHyperparameters(body: Record<string, unknown>): RequestedHyperparameters {
  const method = body.method as { type?: string; supervised?: { hyperparameters?: unknown } } | undefined;
  if (method !== undefined && method !== null) {
    if (method.type !== 'supervised') throw invalidRequest(`The local provider trains only method.type "supervised" (got ${JSON.stringify(method.type)}).`, 'method.type');
  }
  const raw = (method?.supervised?.hyperparameters ?? body.hyperparameters ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) throw invalidRequest('hyperparameters must be an object.', 'hyperparameters');
  return {
    n_epochs: autoOr(raw.n_epochs, 'n_epochs', (v) => Number.isInteger(v) && v >= 1 && v <= 50, 'an integer from 1 to 50'),
    batch_size: autoOr(raw.batch_size, 'batch_size', (v) => Number.isInteger(v) && v >= 1 && v <= 256, 'an integer from 1 to 256'),
    learning_rate_multiplier: autoOr(raw.learning_rate_multiplier, 'learning_rate_multiplier', (v) => v > 0 && v <= 100, 'a number greater than 0'),
  };
}

function autoOr(value: unknown, name: string, valid: (v: number) => boolean, expected: string): number | 'auto' | undefined {
  if (value === undefined || value === null || value === 'auto') return value === 'auto' ? 'auto' : undefined;
  if (typeof value !== 'number' || !valid(value)) throw invalidRequest(`Invalid value for hyperparameters.${name}: ${JSON.stringify(value)} (expected "auto" or ${expected}).`, `hyperparameters.${name}`);
  return value;
}

function parseMetadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('metadata must be an object of strings.', 'metadata');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 16) throw invalidRequest('metadata can have at most 16 keys.', 'metadata');
  for (const [key, v] of entries) {
    if (typeof v !== 'string' || key.length > 64 || v.length > 512) throw invalidRequest(`metadata.${key} must be a string of at most 512 characters (keys at most 64).`, 'metadata');
  }
  return value as Record<string, string>;
}

function checkFile(files: FileStore, id: string, param: string): void {
  const file = files.get(id);
  if (!file) throw invalidRequest(`Invalid file ID: ${id} (no such file).`, param, 'invalid_file_id');
  if (file.purpose !== 'fine-tune') throw invalidRequest(`File ${id} has purpose "${file.purpose}"; fine-tuning needs purpose "fine-tune".`, param, 'invalid_file_purpose');
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw invalidRequest(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
  return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string.`, name);
  return value;
}
