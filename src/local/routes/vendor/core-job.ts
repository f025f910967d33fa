/**
 * Starts a job on the shared core (the same record, trainer and events the OpenAI routes use) for a
 * vendor flavour that has already checked the request in its own vocabulary.
 */
import { randomInt } from 'node:crypto';
import { monotonicMs } from '../../state/file-store.js';
import type { JobRecord } from '../../state/job-store.js';
import type { RequestedHyperparameters } from '../../trainer/hyperparameters.js';
import { randomId } from '../../random.js';
import type { ServerState } from '../route-table.js';

export interface CoreJobSpec {
  model: string;
  trainingFile: string;
  validationFile: string | null;
  suffix: string | null;
  seed: number | null;
  hyperparameters: RequestedHyperparameters;
}

export async function startCoreJob(state: ServerState, spec: CoreJobSpec): Promise<JobRecord> {
  const createdMs = monotonicMs();
  const id = randomId('ftjob-');
  const hyperparameters = {
    n_epochs: spec.hyperparameters.n_epochs ?? 'auto',
    batch_size: spec.hyperparameters.batch_size ?? 'auto',
    learning_rate_multiplier: spec.hyperparameters.learning_rate_multiplier ?? 'auto',
  };
  const record: JobRecord = {
    createdMs,
    requested: spec.hyperparameters,
    checkpoints: [],
    job: {
      object: 'fine_tuning.job',
      id,
      model: spec.model,
      created_at: Math.floor(createdMs / 1000),
      finished_at: null,
      fine_tuned_model: null,
      organization_id: 'org-local',
      result_files: [],
      status: 'validating_files',
      validation_file: spec.validationFile,
      training_file: spec.trainingFile,
      hyperparameters,
      trained_tokens: null,
      error: null,
      seed: spec.seed ?? randomInt(0, 2 ** 31 - 1),
      estimated_finish: null,
      integrations: null,
      metadata: null,
      user_provided_suffix: spec.suffix,
      method: { type: 'supervised', supervised: { hyperparameters } },
    },
  };
  await state.jobs.save(record);
  state.jobs.addEvent(id, { message: `Created fine-tuning job: ${id}` });
  state.runner.start(id);
  return record;
}

/** Cancel a core job the way the OpenAI route does (the runner stops at its next step). */
export async function cancelCoreJob(state: ServerState, record: JobRecord): Promise<void> {
  record.job.status = 'cancelled';
  record.job.finished_at = Math.floor(Date.now() / 1000);
  await state.jobs.save(record);
  state.jobs.addEvent(record.job.id, { message: 'Fine-tuning job cancelled' });
}
