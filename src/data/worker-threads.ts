/**
 * How many worker threads validate and clean use by default. Below 4 MB starting a worker costs more
 * than it saves. On 2 cores none: measured (`npm run bench -- threads`, 100k examples), one worker made
 * validate slower and 25% more CPU-hungry (cloning every batch to it), two or three slower still, each
 * adding its own heap (+50 MB); clean likewise used more CPU. With more cores the main thread (reading,
 * parsing, writing) keeps one core, V8's GC and the OS another, and each further core gets a worker,
 * at most 4.
 */
import { availableParallelism } from 'node:os';

export const WORKER_MIN_BYTES = 4 << 20;
const MAX_WORKERS = 4;

export function defaultWorkerThreads(inputBytes: number, cores = availableParallelism()): number {
  if (inputBytes < WORKER_MIN_BYTES) return 0;
  return Math.max(0, Math.min(cores - 2, MAX_WORKERS));
}
