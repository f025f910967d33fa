import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sweepStage from '../../stages/sweep.js';
import evalConvert from '../../stages/eval-convert.js';
import { runStage } from '../helpers/run-stage.js';
import type { JsonValue, StageDefinition } from '../../src/stage/types.js';
import { expandMatrix, cellName } from '../../src/eval/sweep-matrix.js';
import { baseModelId, chatRequests, startLocal, type LocalSetup } from './local-model.js';
import { writeHdfsExamples } from './hdfs-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'ftpipe-sweep-'));
let local: LocalSetup;
let samples: string;
let train: string;

function withSharedCache(cacheRoot: string): StageDefinition<any> {
  return { ...sweepStage, run: (ctx) => sweepStage.run({ ...ctx, cacheDir: (name: string) => (mkdirSync(join(cacheRoot, name), { recursive: true }), join(cacheRoot, name)) }) };
}

beforeAll(async () => {
  local = await startLocal(join(dir, 'provider'));
  train = join(dir, 'train.jsonl');
  writeHdfsExamples(train, { skip: 0, perClass: 12 });
  const evalSet = join(dir, 'eval.jsonl');
  writeHdfsExamples(evalSet, { skip: 30, perClass: 3 });
  samples = (await runStage(evalConvert, { params: { input: evalSet } })).outputs.data;
});
afterAll(async () => local?.close());

describe('sweep matrix', () => {
  it('expands in sorted key order and names cells', () => {
    const cells = expandMatrix({ top_p: [1, 0.5], temperature: [0, 1] }, ['temperature', 'top_p'], 'matrix');
    expect(cells.map(cellName)).toEqual(['temperature=0,top_p=1', 'temperature=0,top_p=0.5', 'temperature=1,top_p=1', 'temperature=1,top_p=0.5']);
    expect(expandMatrix(undefined, [], 'matrix')).toEqual([{}]);
    expect(() => expandMatrix({ n_epochs: [1] }, ['temperature'], 'matrix')).toThrow(/"n_epochs" cannot be swept/);
  });
});

describe('sweep stage against the local provider', () => {
  it('trains one job per hyperparameter cell, evaluates every cell with a shared cache, ranks by score, adopts jobs on rerun', async () => {
    const state: Record<string, JsonValue> = {};
    const params = {
      samples,
      training_file: train,
      models: [{ id: baseModelId, label: 'base' }],
      train: { model: baseModelId, matrix: { n_epochs: [1, 3] } },
      matrix: { temperature: [0, 0.5] },
      metric: 'classification',
      poll_interval_ms: 50,
    };
    const jobsBefore = local.server.requestCounts()['POST /v1/fine_tuning/jobs'] ?? 0;
    const run = await runStage(withSharedCache(join(dir, 'cache')), { provider: local.provider, key: 'sweep-key', state, params });
    expect((local.server.requestCounts()['POST /v1/fine_tuning/jobs'] ?? 0) - jobsBefore).toBe(2);
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    // 3 models (base + 2 trained cells) × 2 inference cells.
    expect(report.leaderboard).toHaveLength(6);
    const scores = report.leaderboard.map((r: any) => r.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(report.leaderboard.at(-1)).toMatchObject({ label: 'base', score: 0, training: null });
    expect(report.leaderboard[0].training).toMatchObject({ n_epochs: expect.any(Number) });
    expect(report.requests.sent + report.requests.cached).toBe(6 * 12);
    // Tokens and cost per cell (an openai-compatible server has no known prices: cost unknown, tokens counted).
    for (const row of report.leaderboard) expect(row.usage).toMatchObject({ requests: 12, prompt_tokens: expect.any(Number), cost_usd: null });
    expect(report.leaderboard[0].usage.prompt_tokens).toBeGreaterThan(0);
    expect(report.leaderboard.at(-1).interval).toEqual([0, 0]);
    expect(report.cost_usd).toBeNull();
    expect((run.result as any).values.best).toMatchObject({ score: report.leaderboard[0].score });
    expect(readFileSync(run.outputs.summary, 'utf8')).toContain('| rank | model | training | inference | accuracy |');

    // Rerun with the recorded state: the jobs are adopted and every answer comes from the cache.
    const chats = chatRequests(local.server);
    const again = await runStage(withSharedCache(join(dir, 'cache')), { provider: local.provider, key: 'sweep-key', state, params });
    expect((local.server.requestCounts()['POST /v1/fine_tuning/jobs'] ?? 0) - jobsBefore).toBe(2);
    expect(chatRequests(local.server)).toBe(chats);
    expect(JSON.parse(readFileSync(again.outputs.report, 'utf8')).requests).toEqual({ sent: 0, cached: 72 });
  });
});
