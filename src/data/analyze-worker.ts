/** Worker thread: parses and analyzes (validate) or gathers clean's facts on (token totals, dedupe digests) batches of example texts (see AnalyzerPool). */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeTexts, factsOf, type AnalyzeRequest } from './analyze-batch.js';
import { useSharedRanks, type EncodingName } from './tokens.js';
import type { SharedRanks } from './bpe.js';

const { encoding, ranks } = workerData as { encoding: EncodingName; ranks: SharedRanks };
useSharedRanks(encoding, ranks);

parentPort!.on('message', (request: AnalyzeRequest) => {
  if (request.kind === 'facts') {
    const results = factsOf(request.texts, encoding, request.facts!);
    parentPort!.postMessage({ id: request.id, results }, [results.totals.buffer as ArrayBuffer, results.digests.buffer as ArrayBuffer]);
  } else {
    parentPort!.postMessage({ id: request.id, results: analyzeTexts(request.texts, encoding) });
  }
});
