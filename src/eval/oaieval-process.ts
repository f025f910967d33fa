/** Runs one `oaieval <completion_fn> <eval>` (no shell) and turns its failures into clear errors. */
import { execa } from 'execa';
import { FtpipeError } from '../errors.js';
import type { Logger } from '../stage/types.js';

export interface OaievalRun {
  bin: string;
  completionFn: string;
  evalName: string;
  registry: string;
  record: string;
  maxSamples?: number;
  /** Added to the inherited environment (keys pass through from the parent, never written). */
  env: Record<string, string>;
  signal: AbortSignal;
  log: Logger;
}

export function oaievalArgs(run: Pick<OaievalRun, 'completionFn' | 'evalName' | 'registry' | 'record' | 'maxSamples'>): string[] {
  const args = [run.completionFn, run.evalName, '--registry_path', run.registry, '--record_path', run.record];
  if (run.maxSamples !== undefined) args.push('--max_samples', String(run.maxSamples));
  return args;
}

export async function runOaieval(run: OaievalRun): Promise<void> {
  const args = oaievalArgs(run);
  run.log.debug(`${run.bin} ${args.join(' ')}`);
  try {
    await execa(run.bin, args, { env: run.env, cancelSignal: run.signal, all: true, stdin: 'ignore' });
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string }; exitCode?: number; all?: string; isCanceled?: boolean };
    if (e.isCanceled) throw error;
    if (e.code === 'ENOENT' || e.cause?.code === 'ENOENT') {
      throw new FtpipeError(`oaieval is not installed (cannot run "${run.bin}")`, 'OAIEVAL_NOT_FOUND', {
        hint: 'install openai/evals: pip install evals (Python 3.9+), make sure oaieval is on PATH, or set oaieval_bin to its path',
      });
    }
    const tail = (e.all ?? '').trim().split('\n').slice(-15).join('\n');
    throw new FtpipeError(`oaieval ${run.completionFn} ${run.evalName} failed (exit code ${e.exitCode ?? '?'})${tail ? `:\n${tail}` : ''}`, 'OAIEVAL_FAILED', {
      hint: `the registry is in ${run.registry}; rerun the command by hand to debug: ${run.bin} ${args.join(' ')}`,
      cause: error,
    });
  }
}
