/**
 * The demo recipe retargeted by one flag: `ftpipe run pipelines/error-cat.yaml --provider trl` trains the tiny
 * model through TRL for real (no base_model given: the offline tiny model), and ftpipe is SIGKILLed while it
 * waits: the training process lives on, the rerun reattaches to it (one job, one training process), and the
 * fine-tuned model beats the untrained base in the eval.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { isAlive } from '../../src/providers/trl/process-state.js';
import { cliPath, makeProject, repoRoot, type Project } from '../helpers/project.js';
import { describeWithTrl } from '../helpers/trl-stack.js';

function demoProject(): Project {
  const p = makeProject({});
  cpSync(join(repoRoot, 'data'), join(p.root, 'data'), { recursive: true });
  cpSync(join(repoRoot, 'pipelines/error-cat.yaml'), join(p.root, 'pipelines/error-cat.yaml'));
  return p;
}

const jobsOf = (p: Project) => readdirSync(join(p.root, '.ftpipe/trl/jobs'));
const driverEvents = (p: Project, job: string) => readFileSync(join(p.root, '.ftpipe/trl/jobs', job, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** An output file of the last run, through the lock's digest and the object store (docs/contracts.md). */
function lockedFile(p: Project, stage: string, output: string): string {
  const lock = parse(p.read('ftpipe.lock'));
  const digest: string = lock.pipelines['pipelines/error-cat.yaml'].stages[stage].outputs[output].digest;
  const hex = digest.slice('sha256:'.length);
  return p.read(`.ftpipe/objects/${hex.slice(0, 2)}/${hex.slice(2)}`);
}

describeWithTrl('the demo recipe on the trl provider (tiny model, CPU)', () => {
  it('trains for real, survives ftpipe being killed during wait, and the fine-tuned model beats the base', { timeout: 1_200_000 }, async () => {
    const p = demoProject();
    const child = execa('node', [cliPath, 'run', 'pipelines/error-cat.yaml', '--provider', 'trl'], { cwd: p.root, reject: false, env: { CI: 'true' }, stdin: 'ignore' });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/wait: \d+\/\d+/.test(output)) resolve();
      });
      child.then(() => reject(new Error(`the run ended before training reported a step:\n${output}\n${child.stderr}`)), reject);
    });
    child.kill('SIGKILL');
    await child;
    const [job] = jobsOf(p);
    expect(jobsOf(p)).toHaveLength(1);
    const state = JSON.parse(p.read(`.ftpipe/trl/jobs/${job}/job.json`));
    expect(isAlive(state.pid, state.processStart)).toBe(true); // the training outlived ftpipe

    const rerun = await p.run(['run', 'pipelines/error-cat.yaml', '--provider', 'trl'], { timeout: 1_100_000 });
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('• train cached');
    expect(rerun.stdout).toMatch(/✓ wait ran in .*: ft:tiny:trl:error-cat:[0-9a-f]{8} \([\d,]+ trained tokens\)/);
    expect(jobsOf(p)).toEqual([job]); // no second job
    expect(driverEvents(p, job).filter((e) => e.type === 'rank')).toHaveLength(1); // one training process, ever

    const metrics = lockedFile(p, 'wait', 'metrics').trim().split('\n');
    expect(metrics[0]).toBe('step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy');
    const losses = metrics.slice(1).map((row) => Number(row.split(',')[1])).filter((v) => !Number.isNaN(v));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) / 2);

    const scores = /✓ eval ran .*: accuracy base ([\d.]+) → fine-tuned ([\d.]+)/.exec(rerun.stdout);
    expect(scores, rerun.stdout).not.toBeNull();
    expect(Number(scores![2])).toBeGreaterThan(Number(scores![1])); // must_beat_base held: the run passed
    expect(rerun.stdout).toMatch(/✓ infer ran /);
    const lock = p.read('ftpipe.lock');
    expect(lock).toMatch(/provider:\n(\s+\w+: \S+\n)*\s+kind: trl\n/);
    expect(lock).toMatch(/fine_tuned_model:\n\s+value: ft:tiny:trl:error-cat:/);
  });
});
