/**
 * The README's first command, for real: the demo recipe on the real Loghub and Antrea data, through the
 * local provider over real HTTP. Then the things users rely on: a no-op rerun, --check, and a run killed
 * while waiting for the training job that reattaches instead of paying twice.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, makeProject, repoRoot, type Project } from '../helpers/project.js';

function demoProject(): Project {
  const p = makeProject({});
  cpSync(join(repoRoot, 'data'), join(p.root, 'data'), { recursive: true });
  cpSync(join(repoRoot, 'pipelines/error-cat.yaml'), join(p.root, 'pipelines/error-cat.yaml'));
  return p;
}

const jobFiles = (p: Project) => readdirSync(join(p.root, '.ftpipe/local-provider/jobs')).filter((f) => f.endsWith('.json'));

describe('the demo recipe, end to end, offline', () => {
  it('runs data → upload → train → wait → infer/eval, then reruns as a no-op', async () => {
    const p = demoProject();
    const first = await p.run(['run', 'pipelines/error-cat.yaml'], { timeout: 240_000 });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/✓ wait ran in .*: ft:gpt-4o-mini-2024-07-18:local:error-cat:[A-Za-z0-9]{8}/);
    expect(first.stdout).toMatch(/✓ split ran.*: (\d+) train/);
    const scores = /✓ eval ran\b.*: accuracy base ([\d.]+) → fine-tuned ([\d.]+)/.exec(first.stdout);
    expect(scores, first.stdout).not.toBeNull();
    expect(Number(scores![1])).toBe(0); // the local base model has learned nothing
    expect(Number(scores![2])).toBeGreaterThan(0.6);
    expect(first.stdout).toMatch(/✓ infer ran\b.*: OpenSSH/);
    const trainCount = Number(/(\d+) train \//.exec(first.stdout)![1]);
    expect(trainCount).toBeGreaterThanOrEqual(200);
    const lock = p.read('ftpipe.lock');
    expect(lock).toContain('file_id:');
    expect(lock).toMatch(/fine_tuned_model:\n\s+value: ft:gpt-4o-mini/);
    expect(lock).not.toMatch(/sk-|api_key: /);

    const second = await p.run(['run', 'pipelines/error-cat.yaml']);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/ ran( |$)/m);
    expect(second.stdout).toMatch(/done in .*: \d+ cached$/m);
    expect(p.read('ftpipe.lock')).toBe(lock);
    expect((await p.run(['run', 'pipelines/error-cat.yaml', '--check'])).code).toBe(0);
    expect(jobFiles(p)).toHaveLength(1);

    const changed = await p.run(['status', 'pipelines/error-cat.yaml', '--set', 'train.n_epochs=4']);
    expect(changed.stdout).toContain('train: will run: param n_epochs 3→4');
    // The local provider is free: no paid marks, no spend lines, no dollar amounts.
    expect(changed.stdout).not.toMatch(/\[paid\]|spend:|\$/);
    expect(first.stdout).not.toMatch(/^paid:/m);
    expect(changed.stdout).toContain('split: up to date');
  });

  it('a run killed while waiting for the job reattaches to the same job on the rerun', async () => {
    const p = demoProject();
    // Slow the local trainer down so the job is still running when the run is killed.
    const recipe = readFileSync(join(p.root, 'pipelines/error-cat.yaml'), 'utf8').replace('provider:\n  kind: local', 'provider:\n  kind: local\n  faults: { stepDelayMs: 40 }');
    p.write('pipelines/error-cat.yaml', recipe);
    const child = execa('node', [cliPath, 'run', 'pipelines/error-cat.yaml'], { cwd: p.root, reject: false, env: { CI: 'true' }, stdin: 'ignore' });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never reached the wait stage:\n${output}`)), 120_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/wait: .*Fine-tuning job started/.test(output) || /wait: \d+\/\d+/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await child;
    expect(jobFiles(p)).toHaveLength(1);
    const jobId = jobFiles(p)[0].replace('.json', '');
    const lockBefore = p.read('ftpipe.lock');
    expect(lockBefore).toContain(jobId); // train finished and was recorded before the kill
    expect(lockBefore).not.toMatch(/^      wait:/m);

    const rerun = await p.run(['run', 'pipelines/error-cat.yaml'], { timeout: 240_000 });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('• train cached');
    expect(rerun.stdout).toContain('✓ wait ran');
    expect(jobFiles(p)).toEqual([`${jobId}.json`]); // no second job
    // nothing half-written survives: the killed run's temp folders are gone, every artifact is whole
    expect(p.exists('.ftpipe/tmp') ? readdirSync(join(p.root, '.ftpipe/tmp')) : []).toEqual([]);
  });

  it('plans spend before paid work and refuses it above --max-cost, with deprecation warnings', async () => {
    const p = demoProject();
    expect((await p.run(['run', 'pipelines/error-cat.yaml', '--until', 'split'])).code).toBe(0);
    const plan = await p.run(['plan', 'pipelines/error-cat.yaml', '--provider', 'openai', '--json'], { env: { OPENAI_API_KEY: '' } });
    expect(plan.code).toBe(0);
    const json = JSON.parse(plan.stdout);
    expect(json.spend).toHaveLength(3);
    expect(json.spend).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stage: 'train', model: 'gpt-4o-mini-2024-07-18', examples: expect.any(Number), billedTokens: expect.any(Number), costUsd: expect.any(Number) }),
        expect.objectContaining({ stage: 'infer', inference: true }),
        expect.objectContaining({ stage: 'eval', inference: true }),
      ]),
    );
    json.spend = json.spend.filter((line: { stage: string }) => line.stage === 'train');
    expect(json.spend[0].costUsd).toBeCloseTo((json.spend[0].billedTokens / 1e6) * 3, 3); // $3 per 1M training tokens (rounded to 4 places)
    expect(json.warnings.join('\n')).toContain('2027-01-06');
    expect(json.warnings.join('\n')).toContain('2027-01-14');
    const refused = await p.run(['run', 'pipelines/error-cat.yaml', '--provider', 'openai', '--max-cost', '0.01'], { env: { OPENAI_API_KEY: '' } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/stage "train": would cost about \$0\.\d\d .*above --max-cost 0\.01 \[MAX_COST_EXCEEDED\]/);
    expect(p.exists('.ftpipe/out/pipelines/error-cat.yaml/upload-train')).toBe(false); // nothing paid or remote started
  });
});
