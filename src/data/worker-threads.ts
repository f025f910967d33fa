/**
 * How many worker threads validate and clean use by default. Below 4 MB starting a worker (and its
 * copy of the tokenizer's code) costs more than it saves. Above, the main thread reads, parses and
 * writes while workers count: one worker per core beyond the main thread's, at most 4. On 2 cores
 * that is 1 worker: a second one only competes for the same cores (measured with `npm run bench --
 * threads`: no faster, and each worker adds its own heap).
 */
import { availableParallelism } from 'node:os';

export const WORKER_MIN_BYTES = 4 << 20;
const MAX_WORKERS = 4;

export function defaultWorkerThreads(inputBytes: number, cores = availableParallelism()): number {
  if (inputBytes < WORKER_MIN_BYTES) return 0;
  return Math.max(0, Math.min(cores - 1, MAX_WORKERS));
}
