/**
 * POST /fine-tunes checked the way Together documents it (FineTuningCreateParams), then run on the core
 * trainer: learning_rate becomes the core's multiplier of Together's default rate, "max" batch size
 * the core's auto, DPO preference data the core's chat examples ending in the preferred answer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { catalogFor } from '../../../models/catalog.js';
import { readJsonBody } from '../../http-io.js';
import { preferenceAsChat } from '../vendor/training-lines.js';
import { startCoreJob } from '../vendor/core-job.js';
import type { ServerState } from '../route-table.js';
import { invalidRequest, unsupportedModel } from './together-errors.js';
import { TOGETHER_DEFAULT_LEARNING_RATE, TOGETHER_USER, type TogetherFile, type TogetherJob, type TogetherState } from './together-state.js';

const MAX_EPOCHS = 20;
const DEFAULT_SEED = 42;

export async function createFineTune(req: Parameters<typeof readJsonBody>[0], state: ServerState, together: TogetherState): Promise<TogetherJob> {
  const body = await readJsonBody(req, state.limits.jsonBytes);
  const model = stringField(body, 'model', true)!;
  if (!catalogFor('together').some((m) => m.id === model)) throw unsupportedModel(model);
  const method = parseMethod(body.training_method);
  const trainingFile = usableFile(together, stringField(body, 'training_file', true)!, 'training_file', method.method);
  const validationId = stringField(body, 'validation_file', false);
  const validationFile = validationId ? usableFile(together, validationId, 'validation_file', method.method) : null;
  const nEpochs = integer(body, 'n_epochs', 1, MAX_EPOCHS, 1);
  const nEvals = integer(body, 'n_evals', 0, 100, 0);
  if (nEvals > 0 && !validationFile) throw invalidRequest('n_evals needs a validation_file.', 'n_evals');
  const suffix = stringField(body, 'suffix', false);
  if (suffix !== null && (suffix.length > 64 || !/^[A-Za-z0-9._-]+$/.test(suffix))) throw invalidRequest('suffix must be at most 64 characters of letters, digits, ".", "_" and "-".', 'suffix');
  const learningRate = body.learning_rate === undefined ? TOGETHER_DEFAULT_LEARNING_RATE : Number(body.learning_rate);
  if (!(learningRate > 0 && learningRate <= 1)) throw invalidRequest(`learning_rate must be a number in (0, 1] (got ${JSON.stringify(body.learning_rate)}).`, 'learning_rate');
  const batchSize = body.batch_size === undefined || body.batch_size === 'max' ? 'max' : integer(body, 'batch_size', 1, 1024, 8);
  const randomSeed = body.random_seed === undefined || body.random_seed === null ? DEFAULT_SEED : integer(body, 'random_seed', 0, 2 ** 31 - 1, DEFAULT_SEED);

  const coreTraining = await coreFileFor(state, trainingFile, method.method);
  const coreValidation = validationFile ? await coreFileFor(state, validationFile, method.method) : null;
  const record = await startCoreJob(state, {
    model,
    trainingFile: coreTraining,
    validationFile: coreValidation,
    suffix,
    seed: randomSeed,
    hyperparameters: { n_epochs: nEpochs, batch_size: batchSize === 'max' ? 'auto' : batchSize, learning_rate_multiplier: learningRate / TOGETHER_DEFAULT_LEARNING_RATE },
  });
  const id = `ft-${randomUUID()}`;
  const job: TogetherJob = {
    id,
    coreId: record.job.id,
    model,
    suffix,
    trainingFile: trainingFile.id,
    validationFile: validationFile?.id ?? null,
    nEpochs,
    batchSize,
    learningRate,
    nEvals,
    nCheckpoints: integer(body, 'n_checkpoints', 1, nEpochs, 1),
    trainingMethod: method,
    trainingType: parseTrainingType(body.training_type),
    randomSeed,
    outputName: `${TOGETHER_USER}/${model.split('/').pop()}-${suffix ? `${suffix}-` : ''}${createHash('sha256').update(id).digest('hex').slice(0, 8)}`,
    createdAt: new Date(record.createdMs).toISOString(),
    cancelRequested: false,
  };
  return together.jobs.save(id, job);
}

function usableFile(together: TogetherState, id: string, param: string, method: 'sft' | 'dpo'): TogetherFile {
  const file = together.files.get(id);
  if (!file) throw invalidRequest(`${param}: file ${id} does not exist.`, param, 'invalid_file_id');
  if (file.purpose !== 'fine-tune') throw invalidRequest(`${param}: file ${id} has purpose ${file.purpose}; fine-tuning needs fine-tune.`, param);
  if (file.processing_status === 'INVALID_FORMAT' || file.processing_status === 'FAILED') throw invalidRequest(`${param}: file ${id} failed validation: ${file.validation_report?.error ?? 'invalid format'}`, param, 'invalid_file');
  if (file.processing_status !== 'COMPLETED') throw invalidRequest(`${param}: file ${id} is still being validated (${file.processing_status}); try again shortly.`, param, 'file_not_ready');
  const format = file.validation_report?.dataset_format;
  if (method === 'dpo' && format !== 'PREFERENCE_OPENAI') throw invalidRequest(`${param}: DPO needs preference data (input, preferred_output, non_preferred_output); file ${id} is ${format}.`, param);
  if (method === 'sft' && format === 'PREFERENCE_OPENAI') throw invalidRequest(`${param}: file ${id} holds preference data; use training_method dpo.`, param);
  return file;
}

/** The core file the trainer reads: the upload itself, or for DPO a chat copy ending in the preferred answer. */
async function coreFileFor(state: ServerState, file: TogetherFile, method: 'sft' | 'dpo'): Promise<string> {
  if (method === 'sft') return file.coreId;
  const temp = state.files.tempPath();
  await preferenceAsChat(state.files.contentPath(file.coreId), temp);
  return (await state.files.adopt(temp, { filename: `${file.id}.preferred.jsonl`, purpose: 'fine-tune' })).id;
}

function parseMethod(value: unknown): TogetherJob['trainingMethod'] {
  if (value === undefined || value === null) return { method: 'sft', train_on_inputs: 'auto' };
  const method = value as { method?: unknown; train_on_inputs?: unknown; dpo_beta?: unknown };
  if (method.method === 'sft') return { method: 'sft', train_on_inputs: (method.train_on_inputs as boolean | 'auto' | undefined) ?? 'auto' };
  if (method.method === 'dpo') return { method: 'dpo', ...(typeof method.dpo_beta === 'number' ? { dpo_beta: method.dpo_beta } : {}) };
  throw invalidRequest(`training_method.method must be "sft" or "dpo" (got ${JSON.stringify(method.method)}).`, 'training_method');
}

function parseTrainingType(value: unknown): TogetherJob['trainingType'] {
  if (value === undefined || value === null) return { type: 'Lora', lora_r: 8, lora_alpha: 16, lora_dropout: 0, lora_trainable_modules: 'all-linear' };
  const type = value as { type?: unknown; lora_r?: unknown; lora_alpha?: unknown };
  if (type.type === 'Full') return { type: 'Full' };
  if (type.type !== 'Lora') throw invalidRequest(`training_type.type must be "Lora" or "Full" (got ${JSON.stringify(type.type)}).`, 'training_type');
  const rank = typeof type.lora_r === 'number' ? type.lora_r : 8;
  if (!Number.isInteger(rank) || rank < 1 || rank > 64) throw invalidRequest('training_type.lora_r must be an integer from 1 to 64.', 'training_type.lora_r');
  return { type: 'Lora', lora_r: rank, lora_alpha: typeof type.lora_alpha === 'number' ? type.lora_alpha : rank * 2 };
}

function stringField(body: Record<string, unknown>, name: string, required: boolean): string | null {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw invalidRequest(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
    return null;
  }
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string.`, name);
  return value;
}

function integer(body: Record<string, unknown>, name: string, min: number, max: number, fallback: number): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw invalidRequest(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)}).`, name);
  return value as number;
}
