/** Worker thread: builds an encoding's rank table (SharedArrayBuffer) and hands it to the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { sharedRanks, type EncodingName } from '../../data/tokens.js';

parentPort!.postMessage(sharedRanks(workerData as EncodingName));
