/**
 * A user's comparison module (the original finetuner's Eval.compare): an ES module exporting
 * `compare(prediction, ideal, sample)` that returns a boolean or a score in [0, 1] (or a promise of one).
 */
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { FtpipeError } from '../errors.js';

export type CompareFn = (prediction: string, ideal: string | string[], sample: Record<string, unknown>) => unknown;

export async function loadCompare(file: string): Promise<(prediction: string, ideal: string | string[], sample: Record<string, unknown>) => Promise<number>> {
  if (!existsSync(file)) throw new FtpipeError(`compare module not found: ${file}`, 'EVAL_COMPARE_INVALID', { location: { file }, hint: 'compare: is a path relative to the workspace, e.g. evals/compare.js' });
  let mod: { compare?: unknown; default?: unknown };
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new FtpipeError(`${file}: cannot load the compare module (${(error as Error).message})`, 'EVAL_COMPARE_INVALID', { location: { file }, cause: error });
  }
  const fn = (typeof mod.compare === 'function' ? mod.compare : typeof mod.default === 'function' ? mod.default : undefined) as CompareFn | undefined;
  if (!fn) throw new FtpipeError(`${file}: the module exports no compare function`, 'EVAL_COMPARE_INVALID', { location: { file }, hint: 'export function compare(prediction, ideal, sample) { return prediction.trim() === ideal; }' });
  return async (prediction, ideal, sample) => {
    const result = await fn(prediction, ideal, sample);
    if (typeof result === 'boolean') return result ? 1 : 0;
    if (typeof result === 'number' && result >= 0 && result <= 1) return result;
    throw new FtpipeError(`${file}: compare() returned ${JSON.stringify(result)}`, 'EVAL_COMPARE_INVALID', { location: { file }, hint: 'return true/false or a number between 0 and 1' });
  };
}
