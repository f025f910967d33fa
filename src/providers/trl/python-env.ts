/**
 * Which Python runs the driver: provider.python, else $FTPIPE_PYTHON, else the venv `ftpipe trl setup` made in
 * the per-user cache (shared by every workspace and by CI runs on the same machine). The venv's folder name
 * carries a digest of the pinned requirements, so changing a pin makes a new one instead of mutating the old.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ExitCode, FtpipeError } from '../../errors.js';
import { packageRoot } from '../../paths.js';

export const driverDir = join(packageRoot, 'python');
export const requirementsFile = join(driverDir, 'requirements.txt');
export const testRequirementsFile = join(driverDir, 'requirements-test.txt');
/** Written last by setup: a venv without it is half-made and is never used. */
export const readyMarker = 'ftpipe-ready.json';

export interface PythonChoice {
  python: string;
  source: 'provider.python' | 'FTPIPE_PYTHON' | 'ftpipe trl setup';
}

export function defaultVenvDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FTPIPE_TRL_VENV) return env.FTPIPE_TRL_VENV;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const pins = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex').slice(0, 12);
  return join(cache, 'ftpipe', `trl-venv-${pins}`);
}

export function venvPython(venv: string): string {
  return process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

export function choosePython(options: { configured?: string; env: NodeJS.ProcessEnv }): PythonChoice {
  if (options.configured) return { python: options.configured, source: 'provider.python' };
  if (options.env.FTPIPE_PYTHON) return { python: options.env.FTPIPE_PYTHON, source: 'FTPIPE_PYTHON' };
  const venv = defaultVenvDir(options.env);
  if (existsSync(join(venv, readyMarker))) return { python: venvPython(venv), source: 'ftpipe trl setup' };
  throw new FtpipeError(`no Python environment for the trl provider (looked for provider.python, $FTPIPE_PYTHON and the venv ${venv})`, 'PYTHON_MISSING', {
    hint: 'run `npx ftpipe trl setup` (makes that venv with the pinned torch, transformers, trl, peft, accelerate, datasets), or set provider.python / FTPIPE_PYTHON to a Python that has them',
    exitCode: ExitCode.usage,
  });
}

/** The environment every driver process gets: the package on the path, no progress bars, no telemetry. */
export function driverEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...env,
    PYTHONPATH: [driverDir, env.PYTHONPATH].filter(Boolean).join(process.platform === 'win32' ? ';' : ':'),
    PYTHONUNBUFFERED: '1',
    TQDM_DISABLE: '1',
    HF_HUB_DISABLE_PROGRESS_BARS: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    TRANSFORMERS_NO_ADVISORY_WARNINGS: '1',
    ...extra,
  };
}

export interface Preflight {
  python: string;
  executable: string;
  packages: Record<string, string | null>;
  devices?: { cuda: boolean; gpu_count: number; gpu_names: string[]; cpu_count: number; torch: string };
  vllm?: string | null;
  problems: Array<{ code: string; message: string; hint?: string }>;
}

/** Runs the driver's preflight: fast (package metadata only) unless devices are asked for. */
export async function preflight(choice: PythonChoice, options: { env: NodeJS.ProcessEnv; devices?: boolean; vllm?: boolean; signal?: AbortSignal }): Promise<Preflight> {
  const args = ['-m', 'ftpipe_trl.preflight', ...(options.devices ? ['--devices'] : []), ...(options.vllm ? ['--vllm'] : [])];
  const result = await execa(choice.python, args, { env: driverEnv(options.env), extendEnv: false, reject: false, cancelSignal: options.signal, stdin: 'ignore' });
  if (result.failed && !result.stdout.trim().startsWith('{')) {
    const missing = (result as { code?: string }).code === 'ENOENT';
    throw new FtpipeError(
      missing ? `Python not found: ${choice.python} (from ${choice.source})` : `${choice.python} (from ${choice.source}) could not run the trl driver: ${lastLines(result.stderr || String(result.message), 3)}`,
      'PYTHON_MISSING',
      { hint: 'run `npx ftpipe trl setup`, or point provider.python / FTPIPE_PYTHON at Python 3.10+', exitCode: ExitCode.usage },
    );
  }
  const report = JSON.parse(result.stdout) as Preflight;
  // The driver names the requirements file relative to the package; users run ftpipe from anywhere.
  for (const problem of report.problems) problem.hint = problem.hint?.replaceAll('python/requirements.txt', requirementsFile);
  return report;
}

/** The first problem the preflight found, as the error a user sees (the hint is the command that fixes it). */
export function assertReady(report: Preflight, choice: PythonChoice): void {
  const problem = report.problems[0];
  if (!problem) return;
  throw new FtpipeError(`${problem.message} (Python from ${choice.source})`, problem.code, { hint: problem.hint, exitCode: ExitCode.usage });
}

export function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
