/**
 * The CPU work of one fine-tuning job — validating its files, then training — as plain messages out
 * and one "go" in (the runner lets one job train at a time). It runs in a worker thread (job-thread.ts)
 * so the server's event loop never waits for it; models and checkpoints are written here, so only
 * small messages cross the thread boundary.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '../../store/atomic.js';
import { modelFilePath } from '../state/model-store.js';
import { resolveHyperparameters, type RequestedHyperparameters, type ResolvedHyperparameters } from '../trainer/hyperparameters.js';
import { TrainingRun, type StepMetrics } from '../trainer/training-run.js';
import type { TrainedModelFile } from '../trainer/trained-model.js';
import { JobFailure, readTrainingFile } from './read-training-file.js';
import { metricsCsv } from './metrics-csv.js';

export interface JobSpec {
  jobId: string;
  /** The base model. */
  model: string;
  /** The fine-tuned model's name; checkpoints are `<name>:ckpt-step-N`. */
  modelName: string;
  trainingPath: string;
  validationPath: string | null;
  requested: RequestedHyperparameters;
  seed: number;
  modelsDir: string;
  failJobAtStep?: number;
  stepDelayMs?: number;
}

export type JobMessage =
  | { type: 'validating'; param: 'validation_file' }
  | { type: 'validated'; resolved: ResolvedHyperparameters }
  | { type: 'step'; metrics: StepMetrics }
  | { type: 'checkpoint'; step: number; model: string; created: number; metrics: Record<string, number> }
  | { type: 'trained'; model: string; created: number; trainedTokens: number; metricsCsv: string }
  | { type: 'failed'; code: string; message: string; param: string | null };

export interface JobWorkIo {
  post(message: JobMessage): void;
  /** Resolves when the runner lets this job train. */
  go: Promise<void>;
  /** Aborted when the job is cancelled or the server stops: the work ends at the next step. */
  signal: AbortSignal;
  /** Between steps when there is no step delay (inline runs give the event loop its turn here). */
  pause(): Promise<void>;
}

export async function runJobWork(spec: JobSpec, io: JobWorkIo): Promise<void> {
  try {
    await work(spec, io);
  } catch (error) {
    if (io.signal.aborted) return;
    if (error instanceof JobFailure) return io.post({ type: 'failed', code: error.code, message: error.message, param: error.param });
    io.post({ type: 'failed', code: 'server_error', message: `The local provider failed while training (${error instanceof Error ? error.message : error}).`, param: null });
  }
}

async function work(spec: JobSpec, io: JobWorkIo): Promise<void> {
  const training = await readFileOf(spec, 'training_file', io.signal);
  let validation: typeof training | undefined;
  if (spec.validationPath) {
    io.post({ type: 'validating', param: 'validation_file' });
    validation = await readFileOf(spec, 'validation_file', io.signal);
  }
  const resolved = resolveHyperparameters(spec.requested, training.examples.length);
  io.post({ type: 'validated', resolved });
  // An abort that came while the files were read has already fired: a listener added now would never run.
  if (io.signal.aborted) return;
  await Promise.race([io.go, new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }))]);
  if (io.signal.aborted) return;

  const run = new TrainingRun(training.examples, validation?.examples ?? [], resolved, spec.seed);
  const steps: StepMetrics[] = [];
  while (!run.done) {
    const metrics = run.step();
    steps.push(metrics);
    if (spec.failJobAtStep !== undefined && metrics.step === spec.failJobAtStep) {
      throw new JobFailure('server_error', `Fine-tuning failed at step ${metrics.step} (fault injected by the local provider).`);
    }
    io.post({ type: 'step', metrics });
    if (run.atEpochEnd) {
      const model = `${spec.modelName}:ckpt-step-${metrics.step}`;
      const full = run.fullValidation();
      const created = await saveModel(spec, model, run);
      io.post({ type: 'checkpoint', step: metrics.step, model, created, metrics: { ...metrics, ...(full ? { full_valid_loss: full.loss, full_valid_mean_token_accuracy: full.accuracy } : {}) } });
    }
    await (spec.stepDelayMs ? sleep(spec.stepDelayMs, undefined, { signal: io.signal }) : io.pause());
    if (io.signal.aborted) return;
  }
  const created = await saveModel(spec, spec.modelName, run);
  io.post({ type: 'trained', model: spec.modelName, created, trainedTokens: training.tokens * resolved.n_epochs, metricsCsv: metricsCsv(steps) });
}

/** A file deleted while the job waited (or before a restart) fails the job instead of leaving it validating forever. */
async function readFileOf(spec: JobSpec, param: 'training_file' | 'validation_file', signal: AbortSignal) {
  const path = param === 'training_file' ? spec.trainingPath : spec.validationPath!;
  try {
    return await readTrainingFile(path, { model: spec.model, param, signal });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new JobFailure(param === 'training_file' ? 'invalid_training_file' : 'invalid_validation_file', `The ${param.replace('_', ' ')} was deleted before the job could read it; upload it again and create a new job.`, param);
  }
}

async function saveModel(spec: JobSpec, id: string, run: TrainingRun): Promise<number> {
  const created = Math.floor(Date.now() / 1000);
  const file: TrainedModelFile = { id, base: spec.model, created, jobId: spec.jobId, body: run.snapshot() };
  await writeFileAtomic(modelFilePath(spec.modelsDir, id), JSON.stringify(file));
  return created;
}
