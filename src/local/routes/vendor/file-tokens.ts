/** Tokens in a JSONL training file, streamed line by line (what a vendor bills per epoch). */
import { readLines } from '../../../data/line-reader.js';
import { countExampleTokens } from '../../../data/tokens.js';
import { encodingFor } from '../../../models/catalog.js';

export async function fileTokens(path: string, model: string): Promise<number> {
  const encoding = encodingFor(model);
  let total = 0;
  for await (const { text } of readLines(path)) {
    if (!text?.trim()) continue;
    try {
      total += countExampleTokens(JSON.parse(text), encoding).total;
    } catch {
      // validation reports bad lines; a price estimate counts what it can read
    }
  }
  return total;
}
