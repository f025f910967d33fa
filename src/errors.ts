/**
 * One error type for everything a user can cause. `code` is stable (for scripts and tests),
 * `hint` says what to do. Anything else that escapes is an internal error ("this is a bug").
 */
export const ExitCode = {
  ok: 0,
  stageFailed: 1,
  usage: 2,
  outOfDate: 3,
  thresholdFailed: 4,
  interrupted: 130,
} as const;

export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface FtpipeErrorOptions {
  hint?: string;
  location?: SourceLocation;
  stage?: string;
  cause?: unknown;
  exitCode?: number;
  /**
   * The stage failed after writing complete outputs that describe the failure (an eval report whose
   * threshold failed): the engine publishes them for people (.ftpipe/out) but records no result.
   */
  keepOutputs?: boolean;
}

export class FtpipeError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly stage?: string;
  readonly exitCode: number;
  readonly keepOutputs: boolean;

  constructor(message: string, code: string, options: FtpipeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'FtpipeError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.stage = options.stage;
    this.exitCode = options.exitCode ?? ExitCode.stageFailed;
    this.keepOutputs = options.keepOutputs ?? false;
  }
}

/** A problem found in a recipe, a config or a data file; several are reported together. */
export interface Problem {
  file: string;
  line?: number;
  column?: number;
  /** JSON-pointer-like path inside the document, e.g. "stages.clean.with.fix". */
  path?: string;
  message: string;
  hint?: string;
}

export class RecipeError extends FtpipeError {
  readonly problems: Problem[];

  constructor(problems: Problem[], code = 'RECIPE_INVALID') {
    const head = problems.length === 1 ? problems[0].message : `${problems.length} problems in the recipe`;
    super(head, code, { exitCode: ExitCode.usage, hint: problems.length === 1 ? problems[0].hint : undefined });
    this.name = 'RecipeError';
    this.problems = problems;
  }
}

/** Wraps whatever a stage threw, naming the stage. */
export class StageError extends FtpipeError {
  constructor(stage: string, message: string, options: Omit<FtpipeErrorOptions, 'stage'> & { code?: string } = {}) {
    super(message, options.code ?? 'STAGE_FAILED', { ...options, stage });
    this.name = 'StageError';
  }
}

export function formatLocation(loc: SourceLocation | Problem): string {
  if (loc.line === undefined) return loc.file;
  return `${loc.file}:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`;
}

export function isFtpipeError(error: unknown): error is FtpipeError {
  return error instanceof FtpipeError;
}
