/**
 * A local stage module that fails to load is the user's mistake: say which file, line and column, and
 * what to do; never a stack trace. Node gives ESM parse errors no position, so the files are re-parsed
 * with `node --check` (the same parser) to find it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, FtpipeError, type SourceLocation } from '../errors.js';

interface ModuleFailure {
  uses: string;
  /** The module and the local files it imported before failing (absolute paths), the module first. */
  files: string[];
  workspace: string;
}

export function moduleLoadError(error: unknown, failure: ModuleFailure): FtpipeError {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as NodeJS.ErrnoException).code;
  const make = (message: string, errorCode: string, location: SourceLocation, hint?: string) =>
    new FtpipeError(message, errorCode, { location: { ...location, file: shown(location.file, failure.workspace) }, hint, exitCode: ExitCode.usage, cause: err });
  // The stage-resolve step adds which recipe line loads the module; say so when the failing file is one it imports.
  const fixHint = (file: string) => (file === failure.files[0] ? undefined : `${shown(file, failure.workspace)} is imported by ${shown(failure.files[0], failure.workspace)}`);

  if (code === 'ERR_MODULE_NOT_FOUND') return notFound(err, failure, make);
  const arrow = arrowPosition(err.stack ?? '');
  if (err instanceof SyntaxError) {
    const position = arrow ?? failure.files.map(parseErrorIn).find((p) => p !== undefined);
    const location = position ?? { file: failure.files[0] };
    return make(`syntax error in the stage module: ${position?.message ?? err.message}`, 'STAGE_MODULE_SYNTAX', location, fixHint(location.file));
  }
  const location = arrow ?? firstFrameIn(err.stack ?? '', failure.files) ?? { file: failure.files[0] };
  return make(`the stage module failed while loading: ${err.name}: ${err.message}`, 'STAGE_MODULE_FAILED', location, fixHint(location.file));
}

type Make = (message: string, code: string, location: SourceLocation, hint?: string) => FtpipeError;

/** "Cannot find package 'x' imported from /w/m.js" or "Cannot find module '/w/y.js' imported from /w/m.js". */
function notFound(err: Error, failure: ModuleFailure, make: Make): FtpipeError {
  const m = /Cannot find (package|module) '([^']+)' imported from (.+)$/m.exec(err.message);
  if (!m) return make(`the stage module cannot be loaded: ${err.message}`, 'STAGE_MODULE_FAILED', { file: failure.files[0] }, 'check the imports of the module');
  const [, kind, target, importer] = m;
  const file = importer.startsWith('file:') ? fileURLToPath(importer) : importer;
  if (kind === 'package') {
    const name = target.startsWith('@') ? target.split('/').slice(0, 2).join('/') : target.split('/')[0];
    return make(`the stage module imports "${target}", which is not installed`, 'STAGE_MODULE_IMPORT', { file, ...specifierPosition(file, target) }, `npm install ${name} in the workspace ('ftpipe' itself is always available to stage modules)`);
  }
  return make(`the stage module imports ${shown(target, failure.workspace)}, which does not exist`, 'STAGE_MODULE_IMPORT', { file, ...specifierPosition(file, basename(target)) }, 'check the import path: relative to the importing file, with its extension');
}

/** Node's own "file:///x.js:3\n<code>\n   ^^^" header (link errors, CommonJS parse errors). */
function arrowPosition(stack: string): (SourceLocation & { message?: string }) | undefined {
  const m = /^(file:\/\/\S+?|\/\S+?):(\d+)\n(.*)\n( *)\^/.exec(stack);
  if (!m) return undefined;
  return { file: m[1].startsWith('file:') ? fileURLToPath(m[1]) : m[1], line: Number(m[2]), column: m[4].length + 1 };
}

/** Where `node --check` finds a parse error in `file` (as an ES module unless .cjs), if any. */
function parseErrorIn(file: string): (SourceLocation & { message: string }) | undefined {
  if (!existsSync(file)) return undefined;
  const inputType = file.endsWith('.cjs') ? 'commonjs' : 'module';
  const result = spawnSync(process.execPath, [`--input-type=${inputType}`, '--check'], { input: readFileSync(file), encoding: 'utf8', timeout: 30_000 });
  const m = /^\[stdin\]:(\d+)\n(.*)\n( *)\^+\s*\n\s*\n?SyntaxError: (.*)$/m.exec(result.stderr ?? '');
  return m ? { file, line: Number(m[1]), column: m[3].length + 1, message: m[4] } : undefined;
}

/** The first stack frame inside the module's files: where the module threw while it was evaluated. */
function firstFrameIn(stack: string, files: string[]): SourceLocation | undefined {
  for (const m of stack.matchAll(/(file:\/\/[^\s)]+?):(\d+):(\d+)/g)) {
    const file = fileURLToPath(m[1]);
    if (files.includes(file)) return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

function specifierPosition(file: string, text: string): { line?: number; column?: number } {
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const column = [`'${text}`, `"${text}`, `/${text}'`, `/${text}"`].map((q) => lines[i].indexOf(q)).find((c) => c >= 0);
    if (column !== undefined) return { line: i + 1, column: column + 2 };
  }
  return {};
}

function shown(file: string, workspace: string): string {
  const rel = relative(workspace, file).split('\\').join('/');
  return rel.startsWith('..') ? file : rel;
}
