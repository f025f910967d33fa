/**
 * `ftpipe trl setup`: a venv with the pinned Python stack (python/requirements.txt) in the per-user cache, where
 * every workspace and CI run on this machine finds it. pip uses its own configuration (index, mirror); it gets
 * `--retries 0` and a short timeout so an unreachable index fails in seconds, not minutes per package. The ready
 * marker is written last and a lock serialises concurrent setups, so a killed or parallel setup never leaves a
 * half-made venv in use.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ExitCode, FtpipeError } from '../../errors.js';
import { writeFileAtomic } from '../../store/atomic.js';
import { acquireWorkspaceLock } from '../../store/workspace-lock.js';
import { defaultVenvDir, lastLines, readyMarker, requirementsFile, testRequirementsFile, venvPython } from './python-env.js';

export interface SetupOptions {
  python?: string;
  venv?: string;
  withTests?: boolean;
  force?: boolean;
  pipArgs?: string[];
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

interface Marker {
  requirements: string;
  tests: boolean;
  python: string;
}

const pipFailFast = ['--retries', '0', '--timeout', '15', '--disable-pip-version-check', '--progress-bar', 'off'];

export async function setupTrlVenv(options: SetupOptions): Promise<{ python: string; venv: string; reused: boolean }> {
  const venv = options.venv ?? defaultVenvDir(options.env);
  const lock = await acquireWorkspaceLock(`${venv}.lock`, { wait: true });
  try {
    const requirements = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex');
    const marker = readMarker(venv);
    const python = venvPython(venv);
    if (marker && marker.requirements === requirements && !options.force) {
      if (options.withTests && !marker.tests) {
        await pip(python, ['-r', testRequirementsFile, ...(options.pipArgs ?? [])], options);
        await writeMarker(venv, { ...marker, tests: true });
      }
      return { python, venv, reused: true };
    }
    await rm(venv, { recursive: true, force: true });
    const base = options.python ?? (process.platform === 'win32' ? 'python' : 'python3');
    const version = await pythonVersion(base, options.env);
    options.log(`creating ${venv} with ${base} (Python ${version.join('.')})`);
    await run(base, ['-m', 'venv', venv], options.env, 'create the venv');
    const files = ['-r', requirementsFile, ...(options.withTests ? ['-r', testRequirementsFile] : [])];
    options.log(`installing ${readFileSync(requirementsFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join(' ')}${options.withTests ? ' + pytest' : ''}`);
    await pip(python, [...files, ...(options.pipArgs ?? [])], options);
    await writeMarker(venv, { requirements, tests: options.withTests === true, python: version.join('.') });
    return { python, venv, reused: false };
  } finally {
    lock.release();
  }
}

async function pip(python: string, args: string[], options: SetupOptions): Promise<void> {
  await run(python, ['-m', 'pip', 'install', ...pipFailFast, ...args], options.env, 'install the Python packages', 'pip uses its own configuration (pip config list): check that its index or mirror is reachable; extra pip arguments go after --, e.g. `ftpipe trl setup -- --index-url https://download.pytorch.org/whl/cpu`');
}

async function pythonVersion(python: string, env: NodeJS.ProcessEnv): Promise<number[]> {
  const result = await execa(python, ['-c', 'import sys; print(sys.version_info[0], sys.version_info[1])'], { env, reject: false });
  if (result.failed) {
    throw new FtpipeError(`cannot run ${python}: ${(result as { code?: string }).code === 'ENOENT' ? 'not found' : lastLines(result.stderr, 2)}`, 'PYTHON_MISSING', { hint: 'install Python 3.10+ (python3), or pass --python /path/to/python3.11', exitCode: ExitCode.usage });
  }
  const version = result.stdout.trim().split(' ').map(Number);
  if (version[0] < 3 || (version[0] === 3 && version[1] < 10)) {
    throw new FtpipeError(`${python} is Python ${version.join('.')}; the trl driver needs 3.10 or newer`, 'PYTHON_TOO_OLD', { hint: 'pass --python with a newer interpreter, e.g. --python python3.11', exitCode: ExitCode.usage });
  }
  return version;
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv, what: string, hint?: string): Promise<void> {
  const result = await execa(command, args, { env, reject: false, all: true, stdin: 'ignore' });
  if (result.failed) {
    throw new FtpipeError(`could not ${what} (${command} exited with ${result.exitCode ?? result.signal}):\n${lastLines(result.all ?? '', 15)}`, 'TRL_SETUP_FAILED', { hint, exitCode: ExitCode.usage });
  }
}

function readMarker(venv: string): Marker | undefined {
  const file = join(venv, readyMarker);
  if (!existsSync(file) || !existsSync(venvPython(venv))) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

async function writeMarker(venv: string, marker: Marker): Promise<void> {
  await writeFileAtomic(join(venv, readyMarker), JSON.stringify(marker, null, 2) + '\n');
}
