/**
 * Starts a fine-tuning job (paid). The job is tagged with the stage key (metadata ftpipe_key), and a
 * rerun adopts the job of an interrupted run instead of paying for a second one. This stage does not
 * wait for the job: `wait` does, so waiting can be interrupted and resumed on its own. A job that ended
 * failed or cancelled (wait marks this result stale) and `--force train` start a new job; the lock
 * lists the jobs it replaced in `supersedes`.
 */
import { defineStage } from '../src/stage/types.js';
import { FtpipeError, ExitCode } from '../src/errors.js';
import { adoptOrCreateJob } from '../src/remote/adopt-job.js';
import { assertCanCreateJob, isoToday } from '../src/remote/train-guard.js';
import type { JobSpec } from '../src/providers/types.js';
import type { JsonValue } from '../src/stage/types.js';

type Auto = number | 'auto';

interface TrainParams {
  model: string;
  training_file: string;
  validation_file?: string;
  n_epochs?: Auto;
  batch_size?: Auto;
  learning_rate_multiplier?: Auto;
  beta?: Auto;
  suffix?: string;
  seed?: number;
  method?: 'supervised' | 'dpo';
  metadata?: Record<string, string>;
  allow_after_openai_end?: boolean;
  allow_few_examples?: boolean;
}

export default defineStage<TrainParams>({
  type: 'train',
  version: 1,
  description: 'Create a fine-tuning job on the provider (adopts the job of an interrupted run; a failed job or --force makes a new one)',
  usesProvider: true,
  paid: true,
  paidActions: (p) => [
    {
      kind: 'training',
      model: p.model,
      trainingFile: p.training_file,
      validationFile: p.validation_file,
      n_epochs: p.n_epochs,
      hyperparameters: { batch_size: p.batch_size, learning_rate_multiplier: p.learning_rate_multiplier, beta: p.beta },
      method: p.method === 'dpo' ? 'dpo' : 'supervised',
      allowFewExamples: p.allow_few_examples === true,
    },
  ],
  outputs: {
    job_id: { kind: 'value', description: 'the provider job id, e.g. ftjob-abc123' },
    model: { kind: 'value', description: 'the base model the job trains' },
    supersedes: { kind: 'value', optional: true, description: 'earlier jobs of this same stage key, oldest first: failed or cancelled ones, and those replaced by --force' },
  },
  async run(ctx) {
    const p = ctx.params;
    const provider = await ctx.provider();
    assertCanCreateJob({ identity: provider.identity, today: isoToday(), allowAfterEnd: p.allow_after_openai_end, stage: ctx.id });
    for (const name of ['training_file', 'validation_file'] as const) checkFileId(ctx.id, name, p[name]);
    const method = p.method ?? 'supervised';
    if (!provider.capabilities.methods.includes(method)) {
      throw new FtpipeError(`provider ${provider.identity.kind} does not train with method ${method}`, 'PARAM_INVALID', { stage: ctx.id, exitCode: ExitCode.usage, hint: `use one of: ${provider.capabilities.methods.join(', ')}` });
    }
    const spec: JobSpec = {
      model: p.model,
      trainingFile: p.training_file,
      validationFile: p.validation_file,
      suffix: p.suffix,
      seed: p.seed,
      method,
      hyperparameters: definedOnly({ n_epochs: p.n_epochs, batch_size: p.batch_size, learning_rate_multiplier: p.learning_rate_multiplier, beta: method === 'dpo' ? p.beta : undefined }),
      idempotencyKey: ctx.key,
      metadata: p.metadata,
    };
    const previous = ctx.forced?.previous;
    const forced = ctx.forced ? { previousJobId: asString(previous?.job_id), previousSuperseded: asStrings(previous?.supersedes) } : undefined;
    const { job, how, superseded } = await adoptOrCreateJob(provider, spec, { state: ctx.state, signal: ctx.signal, forced, stage: ctx.id });
    const verb = how === 'created' ? 'created' : `adopted (found by ${how === 'state' ? 'the recorded id' : 'its ftpipe_key tag'})`;
    const replaced = superseded.length ? `; replaces ${superseded.join(', ')}` : '';
    ctx.log.info(`job ${job.id} ${verb}, status ${job.rawStatus}${replaced}`);
    return { values: { job_id: job.id, model: job.model, ...(superseded.length ? { supersedes: superseded } : {}) }, summary: `${job.id} ${verb}${replaced}`, ...(how === 'created' ? {} : { reused: `adopted job ${job.id}` }) };
  },
});

function checkFileId(stage: string, name: string, value: string | undefined): void {
  if (value === undefined) return;
  // A path here means the upload stage was skipped: the provider would reject it with a vaguer message.
  if (/[\\/]|\.(jsonl?|csv)$/i.test(value)) {
    throw new FtpipeError(`${name} must be a provider file id, not a path ("${value}")`, 'PARAM_INVALID', {
      stage,
      exitCode: ExitCode.usage,
      hint: `upload the file first and reference it: ${name}: \${{ stages.upload.outputs.file_id }}`,
    });
  }
}

function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function asStrings(value: JsonValue | undefined): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function definedOnly<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
