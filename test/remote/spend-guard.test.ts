/**
 * Issue 11 items 13–15: every paid action goes through `plan` and the spend guard. Provider `openai`
 * (catalog prices) pointed at a real local server: a sweep's training cells are priced and, together,
 * refused above --max-cost before any upload or job; the estimate counts the file actually uploaded
 * (after the split); a training file below the provider's known minimum stops the run before its
 * upload. A free provider shows no paid lines at all; a bad --max-cost is a usage error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';
import { countExampleTokens } from '../../src/data/tokens.js';
import type { Project } from '../helpers/project.js';
import { tempWorkspace } from './local-fixture.js';
import { trainingProject, uploadTrainRecipe } from './remote-project.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ dataDir: join(tempWorkspace(), 'state'), token: 'server-token' });
});
afterAll(() => server.close());

const env = { OPENAI_API_KEY: 'server-token' };
const model = 'gpt-4o-mini-2024-07-18'; // $3 per 1M training tokens in the catalog
const provider = () => `{ kind: openai, base_url: '${server.url}' }`;
const posts = (route: string) => server.requestCounts()[`POST /v1/${route}`] ?? 0;

/** Billed tokens of one epoch over a JSONL file, counted independently of ftpipe's spend code. */
function epochTokens(path: string): number {
  return readFileSync(path, 'utf8').trim().split('\n').reduce((sum, line) => sum + countExampleTokens(JSON.parse(line), 'o200k_base').total, 0);
}

/** split → upload the train part → train on it (optionally after a validate stage on the data before the split). */
function splitTrainRecipe(name: string, options: { validate?: boolean; train?: string } = {}): string {
  const validate = options.validate ? `  validate:\n    uses: validate\n    with: { input: data/train.jsonl, model: ${model}, n_epochs: 2 }\n` : '';
  return `name: ${name}
provider: ${provider()}
stages:
${validate}  split:
    uses: split
    with: { input: data/train.jsonl, validation_ratio: 0.5, seed: 3 }
  upload-train:
    uses: upload
    with: { input: '\${{ stages.split.outputs.train }}' }
  train:
    uses: train${options.validate ? '\n    needs: [validate]' : ''}
    with: { model: ${model}, training_file: '\${{ stages.upload-train.outputs.file_id }}'${options.train ?? ''} }
`;
}

describe('sweep training cells go through plan and --max-cost', () => {
  it('prices every cell and refuses the sweep when the cells together pass --max-cost, before any upload or job', async () => {
    const p = trainingProject({
      'data/samples.jsonl': '{"input":[{"role":"user","content":"mod_jk child workerEnv in error state 6"}],"ideal":"error"}\n',
      'pipelines/sweep.yaml': `name: sweep
provider: ${provider()}
stages:
  sweep:
    uses: sweep
    with:
      samples: data/samples.jsonl
      training_file: data/train.jsonl
      train: { model: ${model}, matrix: { n_epochs: [1, 2] } }
      poll_interval_ms: 50
`,
    });
    const plan = await p.run(['plan', 'pipelines/sweep.yaml', '--json'], { env });
    const cells = JSON.parse(plan.stdout).spend.filter((l: { action: string }) => l.action === 'training');
    const perEpoch = epochTokens(join(p.root, 'data/train.jsonl'));
    expect(cells).toEqual([
      expect.objectContaining({ stage: 'sweep', label: 'n_epochs=1', examples: 24, billedTokens: perEpoch, costUsd: Math.round(perEpoch * 3e-6 * 1e4) / 1e4 }),
      expect.objectContaining({ stage: 'sweep', label: 'n_epochs=2', examples: 24, billedTokens: 2 * perEpoch }),
    ]);
    const total = cells[0].costUsd + cells[1].costUsd;
    const limit = (cells[1].costUsd + total) / 2; // each cell fits, both do not
    const run = await p.run(['run', 'pipelines/sweep.yaml', '--max-cost', String(limit)], { env });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/stage "sweep": would cost about \$[\d.]+ in all \(sweep \[n_epochs=1\] \$[\d.]+, sweep \[n_epochs=2\] \$[\d.]+\), above --max-cost .*\[MAX_COST_EXCEEDED\]/);
    expect([posts('files'), posts('fine_tuning/jobs')]).toEqual([0, 0]);
  });
});

describe('the training estimate', () => {
  it('counts the file actually uploaded (the split\'s train part), not the data before the split', async () => {
    const p = trainingProject({
      'pipelines/est.yaml': splitTrainRecipe('est', { validate: true, train: ', n_epochs: 2' }),
    });
    expect((await p.run(['run', 'pipelines/est.yaml', '--until', 'validate'], { env })).code).toBe(0);
    expect((await p.run(['run', 'pipelines/est.yaml', '--until', 'split'], { env })).code).toBe(0);
    const split = parse(p.read('ftpipe.lock')).pipelines['pipelines/est.yaml'].stages.split.outputs.train.digest.slice('sha256:'.length);
    const uploaded = join(p.root, '.ftpipe/objects', split.slice(0, 2), split.slice(2));
    const plan = await p.run(['plan', 'pipelines/est.yaml', '--json'], { env });
    const [train] = JSON.parse(plan.stdout).spend;
    expect(train).toMatchObject({ stage: 'train', examples: readFileSync(uploaded, 'utf8').trim().split('\n').length, billedTokens: 2 * epochTokens(uploaded) });
    expect(train.billedTokens).toBeLessThan(2 * epochTokens(join(p.root, 'data/train.jsonl')));
  });
});

describe("the provider's known minimum of examples", () => {
  const recipe = (extra?: string) => uploadTrainRecipe({ name: 'few', provider: provider(), model, train: extra });

  it('stops the run before the upload, and allow_few_examples lets it through', async () => {
    const p: Project = trainingProject({ 'pipelines/few.yaml': recipe() }, 6);
    const before = posts('files');
    const run = await p.run(['run', 'pipelines/few.yaml'], { env });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/stage "train": the training file has 6 example\(s\); the provider needs at least 10 \[TOO_FEW_EXAMPLES\]/);
    expect(run.stderr).toContain('allow_few_examples: true');
    expect(posts('files')).toBe(before);

    p.write('pipelines/few.yaml', recipe('allow_few_examples: true'));
    const allowed = await p.run(['run', 'pipelines/few.yaml'], { env });
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(posts('files')).toBe(before + 1);
  });
});

describe("the provider's known minimum, when the training file is made in the same run", () => {
  it('stops right before the upload of the split\'s train part', async () => {
    const p = trainingProject({
      'pipelines/split-few.yaml': splitTrainRecipe('split-few'),
    }, 14);
    const before = posts('files');
    const run = await p.run(['run', 'pipelines/split-few.yaml'], { env });
    expect(run.code, run.stdout + run.stderr).not.toBe(0);
    expect(run.stdout).toMatch(/✓ split ran/);
    expect(run.stderr).toMatch(/stage "train": the training file has \d example\(s\); the provider needs at least 10 \[TOO_FEW_EXAMPLES\]/);
    expect(posts('files')).toBe(before);
  });
});

describe('free providers and --max-cost values', () => {
  const local = uploadTrainRecipe({ name: 'free', provider: '{ kind: local }', model });

  it('a free provider has no paid marks, spend lines or dollar amounts in plan', async () => {
    const p = trainingProject({ 'pipelines/free.yaml': local });
    const plan = await p.run(['plan', 'pipelines/free.yaml']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^train: will run: /m);
    expect(plan.stdout).not.toMatch(/paid|spend:|\$/);
    expect(JSON.parse((await p.run(['plan', 'pipelines/free.yaml', '--json'])).stdout).spend).toEqual([]);
  });

  it('refuses a negative or non-numeric --max-cost as a usage error', async () => {
    const p = trainingProject({ 'pipelines/free.yaml': local });
    for (const bad of ['-1', 'abc']) {
      const run = await p.run(['run', 'pipelines/free.yaml', '--max-cost', bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--max-cost <usd>' argument '.*' is invalid. expected a number of 0 or more/);
    }
    expect(p.exists('.ftpipe/local-provider')).toBe(false);
  });
});
