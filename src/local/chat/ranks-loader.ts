/**
 * The tokenizer's rank table takes about half a second of CPU to build: the server builds it in a
 * worker thread (the table is a SharedArrayBuffer, so it is shared, not copied) and requests that need
 * it wait for it without blocking the event loop. From the TypeScript sources (vitest) there is no
 * compiled worker file, and the table is built on first use.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { useSharedRanks, type EncodingName } from '../../data/tokens.js';
import type { SharedRanks } from '../../data/bpe.js';

const workerUrl = new URL('./ranks-worker.js', import.meta.url);
const loading = new Map<EncodingName, Promise<void>>();

/** Resolves once the encoding's rank table is in this thread (starting its build if need be). */
export function ranksReady(encoding: EncodingName): Promise<void> {
  let ready = loading.get(encoding);
  if (!ready) {
    ready = existsSync(fileURLToPath(workerUrl)) ? buildInWorker(encoding) : Promise.resolve();
    loading.set(encoding, ready);
  }
  return ready;
}

function buildInWorker(encoding: EncodingName): Promise<void> {
  return new Promise<void>((resolve) => {
    const worker = new Worker(workerUrl, { workerData: encoding });
    worker.once('message', (ranks: SharedRanks) => {
      useSharedRanks(encoding, ranks);
      resolve();
    });
    // Whatever went wrong there, the table is then built here on first use.
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
    worker.unref();
  });
}
