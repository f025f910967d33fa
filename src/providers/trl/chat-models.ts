/**
 * Which model answers a chat request: a fine-tuned id names its job's output (the LoRA adapter on its base, a
 * merged model, or a full fine-tune); any other name is the base model — provider.base_model (the recipe's
 * hosted model name, e.g. gpt-4o-mini, is then an alias for it), or the name itself when it is an open model.
 * The untrained tiny model exists only as a job built it (its tokenizer comes from the training file): the
 * newest job's copy answers for it.
 */
import { existsSync } from 'node:fs';
import { ExitCode, FtpipeError } from '../../errors.js';
import { TINY, type TrlConfig } from './block.js';
import type { ModelEntry } from './inference-server.js';
import { baseModelFor } from './job-spec.js';
import type { JobState, TrlJobStore } from './job-store.js';

export async function chatModel(requested: string, config: TrlConfig, jobs: TrlJobStore): Promise<{ id: string; entry: ModelEntry }> {
  const all = await jobs.list();
  if (requested.startsWith('ft:')) {
    const job = all.find((j) => j.fineTunedModel === requested);
    if (!job || job.status !== 'succeeded') {
      throw new FtpipeError(`model ${requested} is not a finished fine-tune on this trl provider`, 'PROVIDER_NOT_FOUND', {
        hint: job ? `its job ${job.id} is ${job.status}` : `fine-tuned models live in ${jobs.dir}; a fresh clone has none until train and wait run`,
        exitCode: ExitCode.usage,
      });
    }
    return { id: requested, entry: fineTunedEntry(job, jobs) };
  }
  const base = baseModelFor(config, requested);
  if (base !== TINY) return { id: base, entry: { path: base, adapter: null, baseId: base } };
  const job = all.find((j) => j.baseModel === TINY && existsSync(jobs.file(j.id, 'base/config.json')));
  if (!job) {
    throw new FtpipeError('the untrained tiny model does not exist yet: a training job builds it (with a tokenizer trained on its training file)', 'PROVIDER_NOT_FOUND', {
      hint: 'run the train and wait stages first, or set provider.base_model to a real model',
      exitCode: ExitCode.usage,
    });
  }
  const id = `${TINY}@${job.id}`;
  return { id, entry: { path: jobs.file(job.id, 'base'), adapter: null, baseId: id } };
}

function fineTunedEntry(job: JobState, jobs: TrlJobStore): ModelEntry {
  const model = jobs.file(job.id, 'model');
  const merged = jobs.file(job.id, 'merged');
  if (job.finetune === 'full') return { path: model, adapter: null, baseId: job.fineTunedModel };
  if (existsSync(`${merged}/config.json`)) return { path: merged, adapter: null, baseId: job.fineTunedModel };
  const base = job.baseModel === TINY ? jobs.file(job.id, 'base') : job.baseModel;
  return { path: base, adapter: model, baseId: job.baseModel === TINY ? `${TINY}@${job.id}` : job.baseModel };
}
