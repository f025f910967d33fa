/**
 * Selectors name stages that exist (issue 11 item 16), and a closed stdout ends ftpipe quietly (item 17).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cliPath, makeProject, type Project } from '../helpers/project.js';

const RECIPE = `stages:
  upper:
    uses: exec
    with: { cmd: [sh, -c, "echo run >> count-upper; echo HI > up.txt"], outs: { text: up.txt } }
  shout:
    uses: exec
    with: { cmd: [sh, -c, "echo run >> count-shout; cat \\"$0\\" > shout.txt", "\${{ stages.upper.outputs.text }}"], outs: { text: shout.txt } }
`;

describe('selectors', () => {
  it('an unknown stage id in --only, --from, --until or --force is a usage error with a suggestion; nothing runs', async () => {
    const p = makeProject({ 'r.yaml': RECIPE });
    const cases: Array<[string[], string, string]> = [
      [['--only', 'shuot'], 'shuot', 'shout'],
      [['--only', 'upper,nope'], 'nope', ''],
      [['--from', 'uper'], 'uper', 'upper'],
      [['--until', 'shot'], 'shot', 'shout'],
      [['--force', 'uppr'], 'uppr', 'upper'],
    ];
    for (const [args, wrong, guess] of cases) {
      for (const verb of ['run', 'plan']) {
        const r = await p.run([verb, 'r.yaml', ...args]);
        expect(r.code, `${verb} ${args.join(' ')}`).toBe(2);
        expect(r.stderr).toContain(`error: ${args[0]}: no stage "${wrong}" in r.yaml`);
        expect(r.stderr).toContain(guess ? `did you mean "${guess}"?` : 'stages: shout, upper');
        expect(r.stderr).not.toMatch(/^\s+at /m);
      }
    }
    expect(p.exists('count-upper') || p.exists('count-shout') || p.exists('ftpipe.lock')).toBe(false);
    expect((await p.run(['run', 'r.yaml', '--only', 'shout', '--force', 'shout'])).code).toBe(0);
  });
});

/** Runs the CLI with the reading end of its stdout already closed, like `ftpipe … | head -1` once head exits. */
function runWithClosedStdout(p: Project, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('node', [cliPath, ...args], { cwd: p.root, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('a closed stdout', () => {
  it('ends status, run and run --json quietly, and the run still finishes its work', async () => {
    const p = makeProject({ 'r.yaml': RECIPE });
    for (const args of [['status', 'r.yaml'], ['run', '--json', 'r.yaml'], ['run', 'r.yaml', '--force'], ['status', 'r.yaml'], ['dag', 'r.yaml'], ['plan', 'r.yaml']]) {
      const r = await runWithClosedStdout(p, args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
    }
    expect(p.read('count-upper')).toBe('run\nrun\n');
    expect(p.read('.ftpipe/out/r.yaml/shout/text')).toBe('HI\n');
    expect((await p.run(['run', '--check', 'r.yaml'])).code).toBe(0);
  });

  it('through a real pipe: `ftpipe status | head -1` prints one line and no error', async () => {
    const p = makeProject({ 'r.yaml': RECIPE });
    const child = spawn('sh', ['-c', `node "${cliPath}" status r.yaml | head -1`], { cwd: p.root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    await new Promise((resolve) => child.on('close', resolve));
    expect(stdout).toBe('upper: will run: not in ftpipe.lock yet\n');
    expect(stderr).toBe('');
  });
});
