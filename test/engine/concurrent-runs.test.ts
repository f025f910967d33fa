/**
 * Runs started together share one workspace safely: only the lock holder writes (validation memo,
 * the local provider's instance id, temps, stages); the others refuse or queue; `cache gc` too.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { cliPath, makeProject, type Project } from '../helpers/project.js';
import { writeTrainingFile } from '../remote/local-fixture.js';

/** A stage that holds the workspace lock until the test creates the file `go`. */
const holdRecipe = `stages:
  hold:
    uses: exec
    with:
      cmd: [sh, -c, "while [ ! -f go ]; do sleep 0.05; done; echo held > held.txt"]
      outs: { held: held.txt }
`;

const trainRecipe = `provider: { kind: local }
stages:
  upload:
    uses: upload
    with: { input: data/train.jsonl }
  train:
    uses: train
    with: { model: local, training_file: "\${{ stages.upload.outputs.file_id }}", n_epochs: 1, seed: 1 }
`;

/** Starts `ftpipe run hold.yaml` and resolves once it holds the lock (its stage was decided). */
async function holdWorkspace(p: Project): Promise<{ child: ResultPromise }> {
  const child = execa('node', [cliPath, 'run', 'hold.yaml'], { cwd: p.root, reject: false, env: { CI: 'true' }, stdin: 'ignore' });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('hold: will run')) resolve();
    });
    child.on('exit', () => reject(new Error(`the holding run ended early:\n${output}`)));
  });
  return { child }; // wrapped: returning the (thenable) child itself would wait for it to exit
}

/** Training files uploaded to the local provider (its job result files are not counted). */
export function uploads(p: Project): number {
  const dir = join(p.root, '.ftpipe/local-provider/files');
  return readdirSync(dir).filter((f) => f.endsWith('.json') && JSON.parse(readFileSync(join(dir, f), 'utf8')).file.purpose === 'fine-tune').length;
}

export function jobs(p: Project): number {
  return readdirSync(join(p.root, '.ftpipe/local-provider/jobs')).filter((f) => f.endsWith('.json')).length;
}

describe('concurrent runs in one workspace', () => {
  it('a run that finds the workspace busy refuses before writing anything (no instance id, no memo)', async () => {
    const p = makeProject({ 'hold.yaml': holdRecipe, 'train.yaml': trainRecipe });
    mkdirSync(join(p.root, 'data'));
    writeTrainingFile(join(p.root, 'data'));
    const { child: holder } = await holdWorkspace(p);
    const memoBefore = p.exists('.ftpipe/state/validated-recipes.json') ? p.read('.ftpipe/state/validated-recipes.json') : '';
    const busy = await p.run(['run', 'train.yaml']);
    expect(busy.stderr).toMatch(/\(pid \d+, started .*\) is using this workspace \[WORKSPACE_LOCKED\]/);
    expect(busy.code).toBe(2);
    expect(p.exists('.ftpipe/local-provider/instance-id')).toBe(false);
    expect(p.exists('.ftpipe/state/validated-recipes.json') ? p.read('.ftpipe/state/validated-recipes.json') : '').toBe(memoBefore);
    p.write('go', '');
    expect((await holder).exitCode).toBe(0);
  });

  it('after a crashed run, two runs started together: one runs, the other queues (--wait) and finds it all cached', async () => {
    const p = makeProject({ 'hold.yaml': holdRecipe, 'train.yaml': trainRecipe });
    mkdirSync(join(p.root, 'data'));
    writeTrainingFile(join(p.root, 'data'));
    const { child: crashed } = await holdWorkspace(p);
    crashed.kill('SIGKILL');
    await crashed;
    const [a, b] = await Promise.all([p.run(['run', 'train.yaml', '--wait']), p.run(['run', 'train.yaml', '--wait'])]);
    expect([a.code, b.code], a.stdout + a.stderr + b.stdout + b.stderr).toEqual([0, 0]);
    expect(a.stderr + b.stderr).not.toMatch(/internal error/);
    const ran = [a, b].filter((r) => /✓ train ran/.test(r.stdout));
    expect(ran).toHaveLength(1);
    expect([uploads(p), jobs(p)]).toEqual([1, 1]);
  });

  it('cache gc refuses while a run holds the workspace, and that run still succeeds', async () => {
    const p = makeProject({ 'hold.yaml': holdRecipe });
    const { child: holder } = await holdWorkspace(p);
    while (!existsSync(join(p.root, '.ftpipe/tmp')) || readdirSync(join(p.root, '.ftpipe/tmp')).length === 0) await sleep(20); // the stage's private folder
    const gc = await p.run(['cache', 'gc']);
    expect(gc.stderr).toMatch(/error: ftpipe run hold\.yaml \(pid \d+, .*\) is using this workspace \[WORKSPACE_LOCKED\]\n {2}hint: .*--wait/);
    expect(gc.code).toBe(2);
    expect(existsSync(join(p.root, '.ftpipe/tmp'))).toBe(true);
    p.write('go', '');
    const done = await holder;
    expect(done.exitCode, String(done.stdout) + String(done.stderr)).toBe(0);
    expect(p.read('.ftpipe/out/hold.yaml/hold/held')).toBe('held\n');
    const after = await p.run(['cache', 'gc', '--wait']);
    expect(after.code).toBe(0);
  });
});

describe('a lock claimed on another machine', () => {
  it('is not taken over; the message names the host and says how to release it (issue 10 item 2)', async () => {
    const p = makeProject({ 'r.yaml': 'stages:\n  hello:\n    uses: exec\n    with: { cmd: [echo, hi] }\n' });
    p.write('.ftpipe/lock/1.json', JSON.stringify({ pid: 4242, host: 'build-agent-7', startedAt: '2026-11-30T10:00:00.000Z', command: 'ftpipe run r.yaml' }));
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ftpipe run r.yaml (pid 4242 on host build-agent-7, started 2026-11-30T10:00:00.000Z) is using this workspace');
    expect(run.stderr).toMatch(/if nothing runs there any more, delete \.ftpipe\/lock and run again/);
    expect(p.exists('.ftpipe/lock/1.json')).toBe(true);
  });
});

