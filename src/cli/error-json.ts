/** Errors as plain data for `--json` consumers: the same message, code, hint and positions people see. */
import { FtpipeError, RecipeError, type Problem } from '../errors.js';

export interface ErrorJson {
  type: 'error';
  code: string;
  message: string;
  hint?: string;
  stage?: string;
  exitCode: number;
  problems: Problem[];
}

export function errorJson(error: unknown): ErrorJson {
  if (error instanceof RecipeError) return { type: 'error', code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode, problems: error.problems };
  if (error instanceof FtpipeError) {
    const problems: Problem[] = error.location ? [{ ...error.location, message: error.message, hint: error.hint }] : [];
    return { type: 'error', code: error.code, message: error.message, hint: error.hint, stage: error.stage, exitCode: error.exitCode, problems };
  }
  return { type: 'error', code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), exitCode: 1, problems: [] };
}
