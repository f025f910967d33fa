/**
 * Small recipes on the trl provider, each the real CLI on a real file tree: a schema error in the provider block
 * points at file:line:col; a crashing job fails with the Python error; two CPU processes train with DDP (world
 * size 2); DPO trains on a preference file; and `plan` prices trl at $0 with the device and a time estimate.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, repoRoot, type Project } from '../helpers/project.js';
import { describeWithTrl } from '../helpers/trl-stack.js';

function recipe(options: { provider?: string; file?: string; train?: string; validate?: boolean }): string {
  return [
    'name: trl-small',
    'provider:',
    '  kind: trl',
    '  max_length: 256',
    ...(options.provider ? options.provider.split('\n').map((l) => `  ${l}`) : []),
    'stages:',
    ...(options.validate ? ['  validate:', '    uses: validate', '    with: { input: data/train.jsonl, model: tiny, n_epochs: 1 }'] : []),
    '  upload:',
    '    uses: upload',
    '    with: { input: data/train.jsonl }',
    '  train:',
    '    uses: train',
    ...(options.validate ? ['    needs: [validate]'] : []),
    '    with:',
    '      model: tiny',
    '      training_file: ${{ stages.upload.outputs.file_id }}',
    '      n_epochs: 1',
    '      batch_size: 8',
    '      seed: 3',
    ...(options.train ? options.train.split('\n').map((l) => `      ${l}`) : []),
    '  wait:',
    '    uses: wait',
    '    with: { job_id: "${{ stages.train.outputs.job_id }}", poll_interval_ms: 500 }',
    '',
  ].join('\n');
}

function project(text: string, fixture = 'log-source-chat.jsonl'): Project {
  const p = makeProject({ 'pipelines/small.yaml': text });
  mkdirSync(join(p.root, 'data'), { recursive: true });
  copyFileSync(join(repoRoot, 'test/fixtures/trl', fixture), join(p.root, 'data/train.jsonl'));
  return p;
}

const events = (p: Project) => {
  const [job] = readdirSync(join(p.root, '.ftpipe/trl/jobs'));
  return readFileSync(join(p.root, '.ftpipe/trl/jobs', job, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
};

describe('trl provider block errors', () => {
  it('a bad TRL knob is a recipe error at its line and column, before anything runs', async () => {
    const p = project(recipe({ provider: 'lora_r: 0\nlong_rows: cut' }));
    const result = await p.run(['run', 'pipelines/small.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pipelines/small.yaml:5:11');
    expect(result.stderr).toContain('lora_r');
    expect(result.stderr).toContain('pipelines/small.yaml:6:14');
    expect(p.exists('.ftpipe/trl')).toBe(false);
  });
});

describeWithTrl('trl jobs through the CLI', () => {
  it('a job that crashes in Python fails the wait stage with the Python error', { timeout: 300_000 }, async () => {
    const p = project(recipe({ provider: 'finetune: lora\ntarget_modules: [no_such_proj]' }));
    const result = await p.run(['run', 'pipelines/small.yaml'], { timeout: 280_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/fine-tuning job ftjob-trl-[0-9a-f]{16} failed: PYTHON_ERROR: NoMatchingPeftModuleError: Target modules {'no_such_proj'} not found in the base model/);
    expect(result.stderr).not.toMatch(/^\s+at /m); // no JavaScript stack trace
  });

  it('two CPU processes train one model with DDP (torchrun, gloo): both ranks see world size 2', { timeout: 400_000 }, async () => {
    const p = project(recipe({ provider: 'launcher: torchrun\nnum_processes: 2\nddp_backend: gloo', validate: true }));
    const result = await p.run(['run', 'pipelines/small.yaml'], { timeout: 380_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const all = events(p);
    expect(all.filter((e) => e.type === 'rank').map((e) => [e.rank, e.world_size]).sort()).toEqual([[0, 2], [1, 2]]);
    expect(all.find((e) => e.type === 'start')).toMatchObject({ world_size: 2, device: 'cpu' });
    // 72 rows, batch 8 split over 2 ranks: 9 optimizer steps for the epoch
    expect(all.find((e) => e.type === 'train_begin')).toMatchObject({ total_steps: 9 });

    const plan = await p.run(['plan', 'pipelines/small.yaml', '--force', 'train', '--json']);
    expect(plan.code).toBe(0);
    const train = JSON.parse(plan.stdout).spend.find((s: { stage: string }) => s.stage === 'train');
    expect(train).toMatchObject({ costUsd: 0, device: expect.stringMatching(/^cpu \(\d+ cores\)$|GPU|×/), estimatedSeconds: expect.any(Number) });
    expect(train.text).toMatch(/\$0 on trl \(self-hosted\)/);
    expect(train.estimateBasis).toMatch(/^from job ftjob-trl-[0-9a-f]{16} \(tiny\): \d+s start-up \+ \d+ tokens\/s$/);
  });

  it('DPO trains on a preference file', { timeout: 300_000 }, async () => {
    const p = project(recipe({ train: 'method: dpo\nbeta: 0.2' }), 'log-source-preferences.jsonl');
    const result = await p.run(['run', 'pipelines/small.yaml'], { timeout: 280_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ wait ran .*: ft:tiny:trl::[0-9a-f]{8}/);
    const logs = events(p).filter((e) => e.type === 'log');
    expect(logs).toHaveLength(5); // 36 preference rows, batch 8
    expect(logs[0]).toHaveProperty('reward_accuracy');
    expect(JSON.parse(p.read(`.ftpipe/trl/jobs/${readdirSync(join(p.root, '.ftpipe/trl/jobs'))[0]}/spec.json`))).toMatchObject({ method: 'dpo', beta: 0.2 });
  });
});
