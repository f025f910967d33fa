/**
 * JobSpec (ftpipe's provider-neutral job) → the driver's job spec (python/ftpipe_trl/spec.py), plain JSON.
 * Here the recipe's hyperparameters get their TRL meaning: learning_rate_multiplier × a base rate per method
 * and fine-tuning kind (below; documented in docs/trl.md), n_epochs "auto" as OpenAI chooses it.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { defaultEpochs } from '../../data/billing.js';
import type { JobSpec } from '../types.js';
import { looksLikePath, TINY, type TrlConfig } from './block.js';

/** The rate learning_rate_multiplier multiplies: TRL's own defaults and examples (trl/scripts/sft.py, dpo.py). */
export const baseLearningRates = {
  supervised: { lora: 2e-4, full: 2e-5 },
  dpo: { lora: 5e-6, full: 5e-7 },
  // tiny starts from random weights: it has everything to learn, so it needs a from-scratch rate.
  tiny: { lora: 2e-3, full: 2e-3 },
} as const;

export const defaultBatchSize = 8;
export const defaultBeta = 0.1;

export interface DriverSpec {
  job_id: string;
  method: 'supervised' | 'dpo';
  base_model: string;
  training_file: string;
  validation_file: string | null;
  output_dir: string;
  events_file: string;
  seed: number;
  n_epochs: number;
  batch_size: number;
  gradient_accumulation_steps: number;
  learning_rate: number;
  beta: number;
  finetune: 'lora' | 'full';
  lora: { r: number; alpha: number; dropout: number; target_modules: string | string[] };
  max_length: number;
  long_rows: 'error' | 'drop' | 'truncate';
  bf16: boolean;
  gradient_checkpointing: boolean;
  packing: boolean;
  merge: boolean;
  device: 'auto' | 'cpu' | 'cuda';
  ddp_backend: string | null;
  cpu_threads: number | null;
  logging_steps: number;
  save_strategy: 'epoch' | 'steps' | 'no';
  save_steps: number;
  save_total_limit: number;
  allow_download: boolean;
}

/**
 * What gets trained: provider.base_model when set (the recipe's model name, e.g. gpt-4o-mini, is then only an
 * alias); else the recipe's model when it names an open model (a Hugging Face id, a path, tiny); else tiny.
 */
export function baseModelFor(config: TrlConfig, requested: string): string {
  if (config.baseModel) return config.baseModel;
  if (requested === TINY || requested.includes('/') || looksLikePath(requested)) return requested;
  return TINY;
}

export function finetuneFor(config: TrlConfig, baseModel: string): 'lora' | 'full' {
  return config.finetune ?? (baseModel === TINY ? 'full' : 'lora');
}

export function learningRateFor(method: 'supervised' | 'dpo', finetune: 'lora' | 'full', baseModel: string, multiplier: number | 'auto' | undefined): number {
  const table = baseModel === TINY ? baseLearningRates.tiny : baseLearningRates[method];
  return table[finetune] * (typeof multiplier === 'number' ? multiplier : 1);
}

export async function driverSpec(options: {
  jobId: string;
  spec: JobSpec;
  config: TrlConfig;
  trainingFile: string;
  validationFile: string | null;
  jobDir: string;
}): Promise<DriverSpec> {
  const { spec, config } = options;
  const method = spec.method ?? 'supervised';
  const baseModel = baseModelFor(config, spec.model);
  const finetune = finetuneFor(config, baseModel);
  const h = spec.hyperparameters ?? {};
  const epochs = typeof h.n_epochs === 'number' ? h.n_epochs : defaultEpochs(await countRows(options.trainingFile));
  return {
    job_id: options.jobId,
    method,
    base_model: baseModel,
    training_file: options.trainingFile,
    validation_file: options.validationFile,
    output_dir: options.jobDir,
    events_file: `${options.jobDir}/events.jsonl`,
    seed: spec.seed ?? 42,
    n_epochs: epochs,
    batch_size: typeof h.batch_size === 'number' ? h.batch_size : defaultBatchSize,
    gradient_accumulation_steps: config.gradientAccumulationSteps,
    learning_rate: learningRateFor(method, finetune, baseModel, h.learning_rate_multiplier),
    beta: typeof h.beta === 'number' ? h.beta : defaultBeta,
    finetune,
    lora: { r: config.lora.r, alpha: config.lora.alpha, dropout: config.lora.dropout, target_modules: config.lora.targetModules },
    max_length: config.maxLength,
    long_rows: config.longRows,
    bf16: config.bf16,
    gradient_checkpointing: config.gradientCheckpointing,
    packing: config.packing,
    merge: config.merge,
    device: config.device,
    ddp_backend: config.ddpBackend ?? null,
    // The tiny model's matrices are too small for threads to pay off; on a shared CPU they only contend.
    cpu_threads: config.cpuThreads ?? (baseModel === TINY ? 1 : null),
    logging_steps: config.loggingSteps,
    save_strategy: config.saveStrategy,
    save_steps: config.saveSteps,
    save_total_limit: config.saveTotalLimit,
    allow_download: config.allowDownload,
  };
}

async function countRows(path: string): Promise<number> {
  let rows = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) if (line.trim()) rows++;
  return rows;
}
