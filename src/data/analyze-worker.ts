/** Worker thread: parses and analyzes batches of example texts (see AnalyzerPool). */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeTexts, type AnalyzeRequest } from './analyze-batch.js';

const { encoding } = workerData as { encoding: Parameters<typeof analyzeTexts>[1] };

parentPort!.on('message', (request: AnalyzeRequest) => {
  parentPort!.postMessage({ id: request.id, results: analyzeTexts(request.texts, encoding) });
});
