/**
 * Runs one job's work (job-work.ts) off the event loop, in a worker thread, so the server answers chat
 * and job requests while a job trains. From the TypeScript sources (vitest) there is no compiled worker
 * file: the same work runs inline, giving the event loop a turn after every step.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runJobWork, type JobMessage, type JobSpec } from './job-work.js';

export interface JobWorkHandle {
  /** Let the job train (after its files validated). */
  go(): void;
  /** End the work at its next step; resolves once it has ended. */
  stop(): Promise<void>;
  /** Resolves when the work has ended, however it ended. */
  done: Promise<void>;
  /** "thread" or "inline", for the log. */
  mode: 'thread' | 'inline';
}

const workerUrl = new URL('./job-worker.js', import.meta.url);
/** A worker that does not stop at its next step within this time is terminated. */
const STOP_GRACE_MS = 5_000;

export function startJobWork(spec: JobSpec, onMessage: (message: JobMessage) => void): JobWorkHandle {
  return existsSync(fileURLToPath(workerUrl)) ? inThread(spec, onMessage) : inline(spec, onMessage);
}

function inThread(spec: JobSpec, onMessage: (message: JobMessage) => void): JobWorkHandle {
  const worker = new Worker(workerUrl, { workerData: spec });
  worker.on('message', onMessage);
  worker.on('error', (error) => onMessage({ type: 'failed', code: 'server_error', message: `The local provider's training thread failed (${error.message}).`, param: null }));
  const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    mode: 'thread',
    go: () => worker.postMessage('go'),
    async stop() {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await done;
      clearTimeout(timer);
    },
    done,
  };
}

function inline(spec: JobSpec, onMessage: (message: JobMessage) => void): JobWorkHandle {
  const stop = new AbortController();
  let letGo!: () => void;
  const go = new Promise<void>((resolve) => (letGo = resolve));
  const done = runJobWork(spec, { post: onMessage, go, signal: stop.signal, pause: () => new Promise((resolve) => setImmediate(resolve)) });
  return {
    mode: 'inline',
    go: () => letGo(),
    async stop() {
      stop.abort();
      await done;
    },
    done,
  };
}
