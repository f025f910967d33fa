/**
 * Starts a fine-tuning job (paid). The job is tagged with the stage key (metadata ftpipe_key), and a
 * rerun adopts the job of an interrupted run instead of paying for a second one. This stage does not
 * wait for the job: `wait` does, so waiting can be interrupted and resumed on its own.
 */
import { defineStage } from '../src/stage/types.js';
import { FtpipeError, ExitCode } from '../src/errors.js';
import { adoptOrCreateJob } from '../src/remote/adopt-job.js';
import { assertCanCreateJob, isoToday } from '../src/remote/train-guard.js';
import type { JobSpec } from '../src/providers/types.js';

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
}

export default defineStage<TrainParams>({
  type: 'train',
  version: 1,
  description: 'Create a fine-tuning job on the provider (adopts the job of an interrupted run)',
  usesProvider: true,
  paid: true,
  outputs: {
    job_id: { kind: 'value', description: 'the provider job id, e.g. ftjob-abc123' },
    model: { kind: 'value', description: 'the base model the job trains' },
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
    const { job, how } = await adoptOrCreateJob(provider, spec, { state: ctx.state, signal: ctx.signal });
    const verb = how === 'created' ? 'created' : `adopted (found by ${how === 'state' ? 'the recorded id' : 'its ftpipe_key tag'})`;
    ctx.log.info(`job ${job.id} ${verb}, status ${job.rawStatus}`);
    return { values: { job_id: job.id, model: job.model }, summary: `${job.id} ${verb}` };
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

function definedOnly<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
