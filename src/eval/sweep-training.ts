/**
 * The training half of a sweep: one fine-tuning job per hyperparameter cell, created through the
 * same adopt-or-create path as the train stage (job id in the stage state per cell, the provider's
 * jobs tagged with stage key + cell), so a rerun adopts the jobs instead of paying for them again.
 */
import { FtpipeError } from '../errors.js';
import type { Provider, JobSpec } from '../providers/types.js';
import type { JsonValue, Logger, PaidAction, StageState } from '../stage/types.js';
import { uploadOnce } from '../remote/upload-once.js';
import { adoptOrCreateJob } from '../remote/adopt-job.js';
import { modelCallActions } from '../remote/model-call-actions.js';
import { followJob } from '../remote/poll-job.js';
import { cellName, expandMatrix, type Cell } from './sweep-matrix.js';

export interface TrainingSweep {
  training_file: string;
  validation_file?: string;
  model: string;
  suffix?: string;
  seed?: number;
  matrix: Record<string, unknown>;
  allow_few_examples?: boolean;
}

export interface TrainedCell {
  cell: Cell;
  name: string;
  model: string;
  jobId: string;
}

const trainable = ['n_epochs', 'learning_rate_multiplier', 'batch_size'];

/**
 * What a sweep pays for, from its params as written: one training job per cell of the train matrix (for
 * the spend guard and `plan`), and calls of the models it scores (fine-tuned ones are deployed on Azure).
 */
export function sweepPaidActions(p: Record<string, unknown>): PaidAction[] {
  const actions: PaidAction[] = [];
  const train = p.train as Partial<TrainingSweep> | undefined;
  if (train && typeof train === 'object') {
    let cells: Cell[] = [];
    try {
      cells = expandMatrix(train.matrix, trainable, 'train.matrix');
    } catch {
      // the stage itself reports a bad matrix when it runs
    }
    for (const cell of cells) {
      const label = cellName(cell);
      const { n_epochs, ...hyperparameters } = cell;
      actions.push({ kind: 'training', model: train.model, trainingFile: p.training_file, validationFile: p.validation_file, n_epochs, hyperparameters, label, allowFewExamples: train.allow_few_examples === true });
      actions.push({ kind: 'model-calls', model: undefined, trainedHere: true, label });
    }
  }
  return [...actions, ...modelCallActions(p)];
}

export async function trainCells(options: { provider: Provider; sweep: TrainingSweep; key: string; state: StageState; log: Logger; signal: AbortSignal; pollMs: number; forced?: boolean; stage?: string }): Promise<TrainedCell[]> {
  const { provider, sweep, signal } = options;
  const cells = expandMatrix(sweep.matrix, trainable, 'train.matrix');
  const training = await uploadOnce(provider, sweep.training_file, { purpose: 'fine-tune', signal });
  const validation = sweep.validation_file ? await uploadOnce(provider, sweep.validation_file, { purpose: 'fine-tune', signal }) : undefined;
  // Create (or adopt) every job first so they train in parallel, then wait for them all.
  const started = [];
  for (const cell of cells) {
    const name = cellName(cell);
    const spec: JobSpec = {
      model: sweep.model,
      trainingFile: training.file.id,
      validationFile: validation?.file.id,
      suffix: sweep.suffix,
      seed: sweep.seed,
      hyperparameters: cell as JobSpec['hyperparameters'],
      idempotencyKey: `${options.key}:${name}`,
      metadata: { ftpipe_sweep_cell: name.slice(0, 512) },
    };
    // --force re-evaluates and adopts the cells' jobs; it only confirms a create the provider cannot look up.
    const { job, how } = await adoptOrCreateJob(provider, spec, { state: cellState(options.state, name), signal, forced: options.forced ? {} : undefined, stage: options.stage });
    options.log.info(`sweep cell ${name}: job ${job.id} (${how})`);
    started.push({ cell, name, jobId: job.id });
  }
  const trained: TrainedCell[] = [];
  for (const cellJob of started) {
    const job = await followJob(provider, cellJob.jobId, { schedule: { baseMs: options.pollMs, maxMs: Math.max(options.pollMs, 30_000) }, signal });
    if (job.status !== 'succeeded' || !job.fineTunedModel) {
      throw new FtpipeError(`sweep cell ${cellJob.name}: job ${job.id} ended ${job.rawStatus}${job.error ? ` (${job.error.message})` : ''}`, 'SWEEP_JOB_FAILED', { hint: 'fix the cause, then rerun: finished cells are adopted, the failed one is trained again' });
    }
    trained.push({ ...cellJob, model: job.fineTunedModel });
  }
  return trained;
}

/** The stage state seen through one cell's prefix, so adoptOrCreateJob's "job_id" is per cell. */
function cellState(state: StageState, name: string): StageState {
  return {
    get: <T extends JsonValue = JsonValue>(key: string) => state.get<T>(`cell ${name}: ${key}`),
    set: (key, value) => state.set(`cell ${name}: ${key}`, value),
  };
}
