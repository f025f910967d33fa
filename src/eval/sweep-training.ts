/**
 * The training half of a sweep: one fine-tuning job per hyperparameter cell, created through the
 * same adopt-or-create path as the train stage (job id in the stage state per cell, the provider's
 * jobs tagged with stage key + cell), so a rerun adopts the jobs instead of paying for them again.
 */
import { FtpipeError } from '../errors.js';
import type { Provider, JobSpec } from '../providers/types.js';
import type { JsonValue, Logger, StageState } from '../stage/types.js';
import { uploadOnce } from '../remote/upload-once.js';
import { adoptOrCreateJob } from '../remote/adopt-job.js';
import { followJob } from '../remote/poll-job.js';
import { cellName, expandMatrix, type Cell } from './sweep-matrix.js';

export interface TrainingSweep {
  training_file: string;
  validation_file?: string;
  model: string;
  suffix?: string;
  seed?: number;
  matrix: Record<string, unknown>;
}

export interface TrainedCell {
  cell: Cell;
  name: string;
  model: string;
  jobId: string;
}

const trainable = ['n_epochs', 'learning_rate_multiplier', 'batch_size'];

export async function trainCells(options: { provider: Provider; sweep: TrainingSweep; key: string; state: StageState; log: Logger; signal: AbortSignal; pollMs: number }): Promise<TrainedCell[]> {
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
    const { job, how } = await adoptOrCreateJob(provider, spec, { state: cellState(options.state, name), signal });
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
