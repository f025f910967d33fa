/**
 * Examples and billed tokens per epoch of the very file a job trains on (what is uploaded, after the
 * split), counted like the provider bills: Σ min(example limit, tokens) over the examples. Streams the
 * file; the result is cached per content digest and encoding, so `plan` and the spend guard count once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_LINE_BYTES, readLines } from '../data/line-reader.js';
import { countExampleTokens } from '../data/tokens.js';
import { encodingFor, modelFacts } from '../models/catalog.js';
import { writeFileAtomic } from '../store/atomic.js';
import { hexOf, type Digest } from '../store/digest.js';

export interface TrainingFileStats {
  examples: number;
  tokensPerEpoch: number;
}

/** Tokens of an example of an unknown model are not truncated (no known limit). */
const noLimit = Number.MAX_SAFE_INTEGER;

export async function trainingFileStats(file: { path: string; digest: Digest }, options: { model: string; cacheDir: string; signal?: AbortSignal }): Promise<TrainingFileStats> {
  const encoding = encodingFor(options.model);
  const limit = modelFacts(options.model)?.trainingExampleLimit ?? noLimit;
  const cached = join(options.cacheDir, `${hexOf(file.digest)}-${encoding}-${limit}.json`);
  if (existsSync(cached)) {
    try {
      const stats = JSON.parse(readFileSync(cached, 'utf8')) as TrainingFileStats;
      if (Number.isInteger(stats.examples) && Number.isInteger(stats.tokensPerEpoch)) return stats;
    } catch {
      // recount below
    }
  }
  let examples = 0;
  let tokensPerEpoch = 0;
  // Bounded like the data stages: one huge line is skipped unread (the provider would refuse it), never held whole.
  for await (const line of readLines(file.path, options.signal, { maxLineBytes: DEFAULT_MAX_LINE_BYTES })) {
    if (line.text === null || line.text.trim() === '') continue;
    let example: unknown;
    try {
      example = JSON.parse(line.text);
    } catch {
      continue; // not an example the provider would train on
    }
    examples++;
    tokensPerEpoch += Math.min(limit, countExampleTokens(example, encoding).total);
  }
  const stats = { examples, tokensPerEpoch };
  await writeFileAtomic(cached, JSON.stringify(stats));
  return stats;
}
