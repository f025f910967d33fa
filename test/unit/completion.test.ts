/** `ftpipe completion bash|zsh|fish`: real shells load the scripts and complete commands, flags, choices and recipes. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { providerKinds } from '../../src/providers/registry.js';
import { runCli } from '../helpers/project.js';

const has = async (shell: string) => (await execa('sh', ['-c', `command -v ${shell}`], { reject: false })).exitCode === 0;
// .ci/run installs zsh and fish: in CI a missing shell is a failure, locally a skip.
const needShell = async (shell: string) => {
  if (await has(shell)) return true;
  if (process.env.CI) throw new Error(`${shell} is not installed (.ci/run installs it)`);
  console.warn(`skipping the ${shell} completion check: ${shell} is not installed`);
  return false;
};

async function script(shell: string): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ftpipe-completion-'));
  const r = await runCli(['completion', shell], dir);
  expect(r.code, r.stderr).toBe(0);
  const file = join(dir, `ftpipe.${shell}`);
  writeFileSync(file, r.stdout);
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines/error-cat.yaml'), 'stages: {}\n');
  return { dir, file };
}

describe('shell completion', () => {
  it('bash completes subcommands, flags, --provider kinds from the registry, and recipe files', async () => {
    const { dir, file } = await script('bash');
    const complete = async (...words: string[]) =>
      (await execa('bash', ['-c', `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ftpipe; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir })).stdout.split('\n');
    expect(await complete('ftpipe', 'st')).toEqual(['status', 'studio']);
    expect(await complete('ftpipe', 'run', '--ma')).toEqual(['--max-cost']);
    expect(await complete('ftpipe', 'run', '--provider', '')).toEqual(providerKinds);
    expect(await complete('ftpipe', 'init', '--template', 's')).toEqual(['sharegpt']);
    expect(await complete('ftpipe', 'run', 'pipelines/')).toEqual(['pipelines/error-cat.yaml']);
  });

  it('fish completes the same', async () => {
    if (!(await needShell('fish'))) return;
    const { dir, file } = await script('fish');
    const complete = async (line: string) => (await execa('fish', ['-c', `source ${file}; complete -C '${line}'`], { cwd: dir })).stdout.split('\n').map((l) => l.split('\t')[0]);
    expect(await complete('ftpipe stat')).toEqual(['status']);
    expect(await complete('ftpipe run --provider ')).toEqual([...providerKinds].sort());
    expect(await complete('ftpipe run pipelines/')).toEqual(['pipelines/error-cat.yaml']);
  });

  it('zsh loads the script (syntax and compdef)', async () => {
    if (!(await needShell('zsh'))) return;
    const { file } = await script('zsh');
    const r = await execa('zsh', ['-f', '-c', `autoload -Uz compinit && compinit -u -D && source ${file} && print -r -- $_comps[ftpipe]`], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('_ftpipe');
  });

  it('refuses an unknown shell as a usage error', async () => {
    const r = await runCli(['completion', 'tcsh'], tmpdir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are bash, zsh, fish');
  });
});
