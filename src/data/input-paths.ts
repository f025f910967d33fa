import { FtpipeError } from '../errors.js';

/** Input params hold one path or a list of paths; lists are read in order, as one concatenated input. */
export function inputPaths(value: unknown, param = 'input'): string[] {
  const paths = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!paths || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p.length > 0)) {
    throw new FtpipeError(`param "${param}" must be a path or a non-empty list of paths`, 'PARAM_INVALID', {
      hint: `set ${param}: data/train.jsonl (or a list of files, read in order)`,
    });
  }
  return paths as string[];
}
