/**
 * The `provider: { kind: trl, … }` block: its JSON Schema (validated with the recipe, so a bad value is reported
 * as recipe.yaml:line:col) and the typed, defaulted form the adapter works with.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { JsonSchema } from '../adapter.js';
import type { ProviderConfig } from '../types.js';

const positiveInt = (description: string): JsonSchema => ({ type: 'integer', minimum: 1, description });
const flag = (description: string): JsonSchema => ({ type: 'boolean', description });

export const trlBlockProperties: Record<string, JsonSchema> = {
  base_model: { type: 'string', minLength: 1, description: 'The model to fine-tune: a Hugging Face id from your HF cache (Qwen/Qwen2.5-0.5B-Instruct), a local directory, or tiny (the offline test model; the default).' },
  python: { type: 'string', minLength: 1, description: 'The Python interpreter with torch, transformers, trl, peft (default $FTPIPE_PYTHON, else the venv made by `ftpipe trl setup`).' },
  data_dir: { type: 'string', description: "Where the provider keeps files, jobs and models (default .ftpipe/trl)." },
  finetune: { enum: ['lora', 'full'], description: 'lora (PEFT adapters; the default) or full fine-tuning (the default for tiny, which starts from random weights).' },
  lora_r: positiveInt('LoRA rank (default 16).'),
  lora_alpha: positiveInt('LoRA alpha (default 32).'),
  lora_dropout: { type: 'number', minimum: 0, maximum: 1, description: 'LoRA dropout (default 0.05).' },
  target_modules: {
    description: 'Modules LoRA adapts: all-linear (the default) or a list of module names, e.g. [q_proj, v_proj].',
    oneOf: [{ const: 'all-linear' }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }],
  },
  max_length: { type: 'integer', minimum: 16, description: 'Longest row in tokens (default 2048); longer rows are an error unless long_rows says otherwise.' },
  long_rows: { enum: ['error', 'drop', 'truncate'], description: 'Rows longer than max_length: error (the default: lists them), drop, or truncate.' },
  gradient_accumulation_steps: positiveInt('Micro-batches per optimizer step (default 1); batch_size is split over processes × these steps.'),
  bf16: flag('Train in bfloat16 (GPUs that support it).'),
  gradient_checkpointing: flag('Trade compute for memory (recompute activations).'),
  packing: flag('Pack several rows into each max_length sequence (TRL packing).'),
  merge: flag('Also write the base model with the LoRA adapter merged in (model directory merged/).'),
  device: { enum: ['auto', 'cpu', 'cuda'], description: 'auto (a GPU when torch sees one; the default), cpu, or cuda (an error when there is none).' },
  cpu_threads: positiveInt('Torch threads per process on CPU (default: torch decides; 1 for tiny).'),
  launcher: { enum: ['python', 'torchrun', 'accelerate'], description: 'python (one process; the default), torchrun (DDP; works on CPU with ddp_backend gloo), or accelerate (multi-GPU, multi-node, DeepSpeed / FSDP).' },
  num_processes: positiveInt('Processes in total, over all machines (torchrun: split evenly per machine; accelerate: --num_processes).'),
  num_machines: positiveInt('Machines (nodes) taking part (default 1).'),
  machine_rank: { type: 'integer', minimum: 0, description: 'This machine\'s rank (default 0; the others join with `ftpipe trl join`).' },
  main_process_ip: { type: 'string', description: 'Address of the rank-0 machine (multi-node).' },
  main_process_port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Port of the rank-0 machine (multi-node; default 29500).' },
  accelerate_config: { type: 'string', description: 'An accelerate config file, or one TRL ships: zero1, zero2, zero3, fsdp1, fsdp2, multi_gpu, single_gpu.' },
  deepspeed_config: { type: 'string', description: 'A DeepSpeed JSON config (accelerate launch --use_deepspeed --deepspeed_config_file).' },
  ddp_backend: { enum: ['gloo', 'nccl', 'mpi', 'ccl', 'hccl'], description: 'torch.distributed backend (default: gloo on CPU, nccl on GPUs).' },
  server: { enum: ['transformers', 'vllm'], description: "Inference for infer/eval: transformers (generate; CPU or GPU; the default) or vllm (vLLM's OpenAI server; needs vLLM and a GPU)." },
  vllm_args: { type: 'array', items: { type: 'string' }, description: 'Extra arguments for the vLLM server, e.g. [--gpu-memory-utilization, "0.8"].' },
  allow_download: flag('Download base_model from the Hugging Face Hub when it is not in the cache (default false: offline).'),
  logging_steps: positiveInt('Report metrics every N optimizer steps (default 1).'),
  save_strategy: { enum: ['epoch', 'steps', 'no'], description: 'When to write checkpoints (default epoch).' },
  save_steps: positiveInt('Steps between checkpoints with save_strategy: steps (default 500).'),
  save_total_limit: positiveInt('Checkpoints kept (default 2).'),
};

/** Block fields that change the trained model: they enter the key of every stage using the provider. */
export const trlIdentityFields = [
  'base_model',
  'data_dir',
  'finetune',
  'lora_r',
  'lora_alpha',
  'lora_dropout',
  'target_modules',
  'max_length',
  'long_rows',
  'gradient_accumulation_steps',
  'bf16',
  'packing',
  'merge',
] as const;

export const TINY = 'tiny';

export interface TrlConfig {
  baseModel?: string;
  python?: string;
  dataDir: string;
  finetune?: 'lora' | 'full';
  lora: { r: number; alpha: number; dropout: number; targetModules: string | string[] };
  maxLength: number;
  longRows: 'error' | 'drop' | 'truncate';
  gradientAccumulationSteps: number;
  bf16: boolean;
  gradientCheckpointing: boolean;
  packing: boolean;
  merge: boolean;
  device: 'auto' | 'cpu' | 'cuda';
  cpuThreads?: number;
  launcher: 'python' | 'torchrun' | 'accelerate';
  numProcesses?: number;
  numMachines: number;
  machineRank: number;
  mainProcessIp?: string;
  mainProcessPort?: number;
  accelerateConfig?: string;
  deepspeedConfig?: string;
  ddpBackend?: string;
  server: 'transformers' | 'vllm';
  vllmArgs: string[];
  allowDownload: boolean;
  loggingSteps: number;
  saveStrategy: 'epoch' | 'steps' | 'no';
  saveSteps: number;
  saveTotalLimit: number;
}

/** Defaults applied; paths made absolute against the workspace (base_model only when it is a path). */
export function resolveTrlConfig(config: ProviderConfig, workspace: string): TrlConfig {
  const c = config as Record<string, any>;
  const path = (value: string | undefined) => (value === undefined ? undefined : isAbsolute(value) ? value : resolve(workspace, value));
  return {
    baseModel: typeof c.base_model === 'string' && looksLikePath(c.base_model) ? path(c.base_model) : c.base_model,
    python: c.python === undefined ? undefined : c.python.includes('/') || c.python.includes('\\') ? path(c.python) : c.python,
    dataDir: path(c.data_dir ?? join('.ftpipe', 'trl'))!,
    finetune: c.finetune,
    lora: { r: c.lora_r ?? 16, alpha: c.lora_alpha ?? 32, dropout: c.lora_dropout ?? 0.05, targetModules: c.target_modules ?? 'all-linear' },
    maxLength: c.max_length ?? 2048,
    longRows: c.long_rows ?? 'error',
    gradientAccumulationSteps: c.gradient_accumulation_steps ?? 1,
    bf16: c.bf16 ?? false,
    gradientCheckpointing: c.gradient_checkpointing ?? false,
    packing: c.packing ?? false,
    merge: c.merge ?? false,
    device: c.device ?? 'auto',
    cpuThreads: c.cpu_threads,
    launcher: c.launcher ?? 'python',
    numProcesses: c.num_processes,
    numMachines: c.num_machines ?? 1,
    machineRank: c.machine_rank ?? 0,
    mainProcessIp: c.main_process_ip,
    mainProcessPort: c.main_process_port,
    accelerateConfig: c.accelerate_config,
    deepspeedConfig: path(c.deepspeed_config),
    ddpBackend: c.ddp_backend,
    server: c.server ?? 'transformers',
    vllmArgs: c.vllm_args ?? [],
    allowDownload: c.allow_download ?? false,
    loggingSteps: c.logging_steps ?? 1,
    saveStrategy: c.save_strategy ?? 'epoch',
    saveSteps: c.save_steps ?? 500,
    saveTotalLimit: c.save_total_limit ?? 2,
  };
}

export function looksLikePath(value: string): boolean {
  return value.startsWith('.') || value.startsWith('/') || value.startsWith('~') || /^[A-Za-z]:[\\/]/.test(value);
}
