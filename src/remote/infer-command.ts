/**
 * `ftpipe infer`: the original infer.py as a command. Options win over --config values; a job id is
 * resolved to its fine-tuned model. Completions go to stdout (one per line for --user-input, JSONL
 * rows for --input), warnings to stderr.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FtpipeError, ExitCode } from '../errors.js';
import { createProvider } from '../providers/index.js';
import { JsonlWriter } from '../data/jsonl-writer.js';
import { readInferConfig, type InferConfig } from './infer-config.js';
import { promptFor, readInferInputs } from './infer-inputs.js';
import { runInference } from './inference.js';
import { inferRowOf } from './infer-row.js';
import type { Provider, ProviderConfig } from '../providers/types.js';

export interface InferOptions {
  model?: string;
  job?: string;
  sysPrompt?: string;
  userInput?: string;
  input?: string;
  output?: string;
  maxTokens?: number;
  temperature?: number;
  concurrency?: number;
  config?: string;
  provider: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  workspace?: string;
  /** azure: where fine-tuned models are deployed before they are called. */
  resource?: string;
  subscription?: string;
  resourceGroup?: string;
  deployment?: string;
  managementUrl?: string;
  teardown?: boolean;
}

export async function inferCommand(opts: InferOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const fromFile: InferConfig = opts.config ? await loadConfig(opts.config, io.stderr) : {};
  const userInput = opts.userInput ?? (opts.input ? undefined : fromFile.user_input);
  if (!userInput && !opts.input) throw usage('infer needs --user-input or --input (or user_input in --config)');
  if (!opts.model && !opts.job && !fromFile.model && !fromFile.ft_job_id) throw usage('infer needs --model or --job (or model / ft_job_id in --config)');
  const workspace = resolve(opts.workspace ?? findWorkspace(process.cwd()));
  const provider = await createProvider(providerConfigOf(opts), { workspace, env: io.env ?? process.env });
  try {
    const model = await resolveModel(provider, opts, fromFile, io.signal);
    const sysPrompt = opts.sysPrompt ?? fromFile.sys_prompt;
    const inputs = opts.input ? readInferInputs(resolve(opts.input), { sysPrompt, signal: io.signal }) : [{ messages: promptFor(sysPrompt, userInput!), expected: null }];
    const writer = opts.output ? new JsonlWriter(resolve(opts.output)) : undefined;
    await runInference({
      provider,
      model,
      inputs,
      maxTokens: opts.maxTokens ?? fromFile.max_tokens,
      temperature: opts.temperature ?? fromFile.temperature,
      concurrency: opts.concurrency,
      teardown: opts.teardown,
      signal: io.signal,
      log: (m) => io.stderr.write(`${m}\n`),
      onResult: async (result) => {
        if (writer) await writer.write(inferRowOf(result));
        else io.stdout.write(opts.input ? `${JSON.stringify(inferRowOf(result))}\n` : `${result.completion}\n`);
      },
    });
    await writer?.close();
    return ExitCode.ok;
  } finally {
    await provider.close();
  }
}

/** The provider block these options describe (unset fields left out, so the adapter's defaults apply). */
function providerConfigOf(opts: InferOptions): ProviderConfig {
  const fields = { base_url: opts.baseUrl, api_key_env: opts.apiKeyEnv, resource: opts.resource, subscription_id: opts.subscription, resource_group: opts.resourceGroup, deployment: opts.deployment, management_url: opts.managementUrl };
  return { kind: opts.provider, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}

async function resolveModel(provider: Provider, opts: InferOptions, fromFile: InferConfig, signal?: AbortSignal): Promise<string> {
  if (opts.model) return opts.model;
  const jobId = opts.job ?? (fromFile.model ? undefined : fromFile.ft_job_id);
  if (!jobId) {
    if (fromFile.model) return fromFile.model;
    throw usage('infer needs --model or --job (or model / ft_job_id in --config)');
  }
  const job = await provider.getJob(jobId, { signal });
  if (!job.fineTunedModel) {
    throw new FtpipeError(`job ${jobId} has no fine-tuned model yet (status ${job.rawStatus})`, 'JOB_NOT_DONE', {
      exitCode: ExitCode.usage,
      hint: job.status === 'failed' ? `the job failed: ${job.error?.message ?? 'see its events'}` : 'wait for the job to succeed, or pass --model',
    });
  }
  return job.fineTunedModel;
}

async function loadConfig(path: string, stderr: NodeJS.WritableStream): Promise<InferConfig> {
  const { config, warnings } = await readInferConfig(resolve(path));
  for (const warning of warnings) stderr.write(`warning: ${warning}\n`);
  return config;
}

function findWorkspace(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (['ftpipe.lock', '.ftpipe', '.git'].some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

function usage(message: string): FtpipeError {
  return new FtpipeError(message, 'USAGE', { exitCode: ExitCode.usage, hint: 'e.g. ftpipe infer --job ftjob-abc --user-input "hello"' });
}
