/**
 * Your own command as a cached stage (like a DVC stage's cmd/deps/outs): it reruns only when the command,
 * its env or a dep changes. Runs without a shell unless `shell: true`. Outputs are the files it writes.
 */
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FtpipeError } from '../src/errors.js';
import { defineStage, type OutputSpec } from '../src/stage/types.js';
import { commandEnvironment } from '../src/secrets/command-env.js';
import { redactSecrets } from '../src/secrets/redact.js';

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
  version: 1,
  description: 'Run a command with declared deps and outs; cached like any stage.',
  inputs: ['deps'],
  outputs: { log: { kind: 'file', ext: '.log', description: 'stdout and stderr of the command' } },
  dynamicOutputs: (params) => Object.fromEntries(Object.keys((params.outs as Record<string, string>) ?? {}).map((name) => [name, { kind: 'file' } as OutputSpec])),
  async run(ctx) {
    const { cmd, shell = false, outs = {}, env = {} } = ctx.params;
    const cwd = resolve(ctx.workspace, ctx.params.cwd ?? '.');
    for (const path of Object.values(outs)) await rm(resolve(ctx.workspace, path), { recursive: true, force: true });
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
      if (info.isDirectory()) throw new FtpipeError(`out "${name}" (${path}) is a folder; outs are files`, 'EXEC_OUT_DIR', { hint: 'archive the folder into one file, or declare its files one by one' });
      await copyFile(produced, ctx.output(name));
    }
    const n = Object.keys(outs).length;
    return { summary: n > 0 ? `${n} out(s)` : undefined };
  },
});

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
