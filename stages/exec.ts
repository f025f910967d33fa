/**
 * Your own command as a cached stage (like a DVC stage's cmd/deps/outs): it reruns only when the command,
 * its env or a dep changes. Runs without a shell unless `shell: true`. Outputs are the files and folders
 * it writes (`outs`, a trailing "/" for a folder), confined to the workspace; the engine tracks them there.
 */
import { copyFile, cp, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { FtpipeError } from '../src/errors.js';
import { defineStage, type OutputSpec, type ParamProblem } from '../src/stage/types.js';
import { commandEnvironment } from '../src/secrets/command-env.js';
import { redactSecrets } from '../src/secrets/redact.js';
import { unconfinedReason } from '../src/store/confined-path.js';

interface ExecParams {
  cmd: string | string[];
  shell?: boolean;
  deps?: string[];
  outs?: Record<string, string>;
  env?: Record<string, string>;
  pass_env?: string[];
  cwd?: string;
}

export default defineStage<ExecParams>({
  type: 'exec',
  version: 2,
  description: 'Run a command with declared deps and outs; cached like any stage.',
  inputs: ['deps'],
  outputs: { log: { kind: 'file', ext: '.log', description: 'stdout and stderr of the command' } },
  dynamicOutputs: (params) => Object.fromEntries(Object.entries(outsOf(params)).map(([name, path]) => [name, { kind: isFolder(path) ? 'dir' : 'file' } as OutputSpec])),
  workspaceOutputs: (params) => outsOf(params),
  checkParams: (params, { workspace }) => checkOuts(outsOf(params), Array.isArray(params.deps) ? params.deps : [], workspace),
  async run(ctx) {
    const { cmd, shell = false, outs = {}, env = {} } = ctx.params;
    const cwd = resolve(ctx.workspace, ctx.params.cwd ?? '.');
    const [file, ...args] = Array.isArray(cmd) ? cmd : shell ? [cmd] : splitCommand(cmd);
    ctx.log.debug(`exec: ${[file, ...args].join(' ')}`);
    const { execa, ExecaError } = await import('execa'); // loaded only when a command runs: keeps no-op runs fast
    try {
      const commandEnv = { ...commandEnvironment(ctx.workspace, ctx.params.pass_env ?? []), ...env, FTPIPE_WORKSPACE: ctx.workspace };
      const result = await execa(file, args, { cwd, env: commandEnv, extendEnv: false, shell, all: true, cancelSignal: ctx.signal, stdin: 'ignore' });
      await writeLog(ctx.output('log'), redactSecrets(result.all ?? ''));
    } catch (error) {
      if (error instanceof ExecaError) {
        const tail = redactSecrets(error.all ?? '').split('\n').slice(-15).join('\n');
        throw new FtpipeError(`command failed: ${error.shortMessage}${tail ? `\n${tail}` : ''}`, 'EXEC_FAILED', { hint: 'run the command by hand in the workspace to debug it' });
      }
      throw error;
    }
    for (const [name, path] of Object.entries(outs)) {
      const produced = resolve(ctx.workspace, path);
      const info = await stat(produced).catch(() => undefined);
      if (!info) throw new FtpipeError(`the command did not write its declared out "${name}" (${path})`, 'EXEC_OUT_MISSING', { hint: 'check the path in `outs:` (relative to the workspace root)' });
      if (info.isDirectory() !== isFolder(path)) {
        const hint = info.isDirectory() ? `declare it as a folder with a trailing slash: ${name}: ${path}/` : `declare it as a file, without the trailing slash: ${name}: ${path.replace(/\/+$/, '')}`;
        throw new FtpipeError(`out "${name}" (${path}) is a ${info.isDirectory() ? 'folder' : 'file'}, declared as a ${isFolder(path) ? 'folder' : 'file'}`, 'EXEC_OUT_KIND', { hint });
      }
      if (info.isDirectory()) await cp(produced, ctx.output(name), { recursive: true });
      else await copyFile(produced, ctx.output(name));
    }
    const n = Object.keys(outs).length;
    return { summary: n > 0 ? `${n} out(s)` : undefined };
  },
});

function outsOf(params: Record<string, unknown>): Record<string, string> {
  const outs = params.outs;
  if (!outs || typeof outs !== 'object' || Array.isArray(outs)) return {};
  return Object.fromEntries(Object.entries(outs).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const isFolder = (path: string) => /[\\/]$/.test(path);

/** Outs must be confined to the workspace, distinct, and never a dep (the command would destroy its own input). */
function checkOuts(outs: Record<string, string>, deps: unknown[], workspace: string): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const hint = 'an out is a file or folder inside the workspace that the command writes, e.g. out/model.bin or out/model/';
  const inside = (a: string, b: string) => a === b || a.startsWith(b + sep);
  const paths = Object.entries(outs).map(([name, path]) => ({ name, path, absolute: resolve(workspace, path) }));
  for (const out of paths) {
    const reason = unconfinedReason(workspace, out.path);
    if (reason) {
      problems.push({ param: ['outs', out.name], message: `out "${out.name}" (${out.path}) ${reason}; ftpipe replaces outs, so it refuses this one`, hint });
      continue;
    }
    const other = paths.find((o) => o !== out && inside(out.absolute, o.absolute));
    if (other) problems.push({ param: ['outs', out.name], message: `out "${out.name}" (${out.path}) is inside out "${other.name}" (${other.path})`, hint: 'declare the folder, or its files, not both' });
    for (const dep of deps) {
      if (typeof dep !== 'string' || dep.includes('${{')) continue;
      const depPath = resolve(workspace, dep);
      if (inside(depPath, out.absolute) || inside(out.absolute, depPath)) {
        problems.push({ param: ['outs', out.name], message: `out "${out.name}" (${out.path}) overlaps the dep ${relative(workspace, depPath) || '.'}`, hint: 'a command must not write where it reads: choose another out path' });
      }
    }
  }
  return problems;
}

async function writeLog(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Split "python3 script.py --flag 'a b'" without a shell: whitespace, with single/double quotes. */
export function splitCommand(command: string): string[] {
  const parts: string[] = [];
  for (const m of command.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)) parts.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3]);
  if (parts.length === 0) throw new FtpipeError('exec: `cmd` is empty', 'EXEC_EMPTY', { hint: 'give the command to run, e.g. cmd: [python3, scripts/prep.py]' });
  return parts;
}
