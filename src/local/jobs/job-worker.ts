/** Worker thread entry: one job's work (job-work.ts); "go" lets it train, "stop" ends it at the next step. */
import { parentPort, workerData } from 'node:worker_threads';
import { runJobWork, type JobSpec } from './job-work.js';

const port = parentPort!;
const stop = new AbortController();
let letGo!: () => void;
const go = new Promise<void>((resolve) => (letGo = resolve));
port.on('message', (message: 'go' | 'stop') => (message === 'go' ? letGo() : stop.abort()));
await runJobWork(workerData as JobSpec, { post: (message) => port.postMessage(message), go, signal: stop.signal, pause: async () => {} });
// Let the thread end once the messages above are delivered (the listener kept it alive until now).
port.unref();
