/** Worker thread: parses and analyzes (validate) or token-counts (clean) batches of example texts (see AnalyzerPool). */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeTexts, countTexts, type AnalyzeRequest } from './analyze-batch.js';
import { useSharedRanks, type EncodingName } from './tokens.js';
import type { SharedRanks } from './bpe.js';

const { encoding, ranks } = workerData as { encoding: EncodingName; ranks: SharedRanks };
useSharedRanks(encoding, ranks);

parentPort!.on('message', (request: AnalyzeRequest) => {
  if (request.kind === 'count') {
    const results = countTexts(request.texts, encoding);
    parentPort!.postMessage({ id: request.id, results }, [results.buffer as ArrayBuffer]);
  } else {
    parentPort!.postMessage({ id: request.id, results: analyzeTexts(request.texts, encoding) });
  }
});
