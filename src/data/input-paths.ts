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

/** A short name for an input in summaries: "logs/data.jsonl" for an upstream artifact (.ftpipe/out/<recipe>/logs/data.jsonl), else the file name. */
export function inputLabel(path: string): string {
  const parts = path.split(/[\\/]/);
  const out = parts.lastIndexOf('out');
  if (out > 0 && parts[out - 1] === '.ftpipe' && parts.length >= out + 3) return parts.slice(-2).join('/');
  return parts[parts.length - 1];
}
