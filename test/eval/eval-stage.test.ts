import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import evalStage from '../../stages/eval.js';
import evalConvert from '../../stages/eval-convert.js';
import { runStage } from '../helpers/run-stage.js';
import { ExitCode } from '../../src/errors.js';
import type { StageDefinition } from '../../src/stage/types.js';
import type { Provider } from '../../src/providers/types.js';
import { baseModelId, chatRequests, startLocal, trainModel, type LocalSetup } from './local-model.js';
import { writeHdfsExamples } from './hdfs-examples.js';

let local: LocalSetup;
let tuned: string;
let samples: string;
let sampleCount: number;
const dir = mkdtempSync(join(tmpdir(), 'ftpipe-eval-'));

/** The eval stage with a response cache shared between runs (runStage gives each run its own). */
function withSharedCache(cacheRoot: string, seen: { logs: string[]; report?: string } = { logs: [] }): StageDefinition<any> {
  return {
    ...evalStage,
    run: (ctx) => {
      seen.report = ctx.output('report');
      const log = { ...ctx.log, info: (m: string) => (seen.logs.push(m), ctx.log.info(m)) };
      return evalStage.run({ ...ctx, log, cacheDir: (name: string) => (mkdirSync(join(cacheRoot, name), { recursive: true }), join(cacheRoot, name)) });
    },
  };
}

beforeAll(async () => {
  local = await startLocal(join(dir, 'provider'));
  const train = join(dir, 'train.jsonl');
  writeHdfsExamples(train, { skip: 0, perClass: 12 });
  tuned = await trainModel(local.provider, train, 'eval-stage-test');
  const evalSet = join(dir, 'eval.jsonl');
  sampleCount = writeHdfsExamples(evalSet, { skip: 30, perClass: 5 });
  samples = (await runStage(evalConvert, { params: { input: evalSet } })).outputs.data;
});
afterAll(async () => local?.close());

describe('eval stage against the local provider', () => {
  it('scores base vs fine-tuned side by side, with classification scores and a summary', async () => {
    const cache = join(dir, 'cache-a');
    const before = chatRequests(local.server);
    const run = await runStage(withSharedCache(cache), {
      provider: local.provider,
      params: { samples, models: [baseModelId, tuned], metric: 'classification', concurrency: 3, min_score: 0.5, must_beat_base: 'interval', junit: true, prices: { [baseModelId]: { input: 0.15, output: 0.6 }, [tuned]: { input: 0.3, output: 1.2 } } },
    });
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect(chatRequests(local.server) - before).toBe(2 * sampleCount);
    expect(report.requests).toEqual({ sent: 2 * sampleCount, cached: 0 });
    expect(report.models.map((m: any) => [m.id, m.label])).toEqual([[baseModelId, 'base'], [tuned, 'fine-tuned']]);
    const [base, ft] = report.models;
    expect(base.score).toBe(0); // the untrained local base model answers one fixed sentence
    expect(ft.score).toBeGreaterThan(0.5);
    expect(ft.metrics.accuracy).toBe(ft.score);
    expect(Object.keys(ft.metrics.labels)).toContain('dfs.FSNamesystem');
    expect(report.comparison).toMatchObject({ base: 'base', candidate: 'fine-tuned', difference: ft.score });
    expect(report.thresholds).toMatchObject({ passed: true, failures: [] });
    expect(report.rows).toHaveLength(sampleCount);
    expect(report.rows[0]).toMatchObject({ line: 1, answers: { base: { score: 0 }, 'fine-tuned': { answer: expect.any(String) } } });
    const result = run.result as any;
    expect(result.summary).toMatch(/^accuracy base 0\.00 → fine-tuned (0\.\d\d|1\.00) \(\+(0\.\d\d|1\.00), 95% CI \+\d\.\d\d…\+\d\.\d\d\)/);
    expect(result.summary).toContain(`; ${2 * sampleCount} requests, 0 cached, $`);
    // Intervals, tokens, cost and latency per model; micro and weighted beside macro.
    expect(report.bootstrap).toEqual({ resamples: 1000, seed: 0, confidence: 0.95 });
    expect(base.interval).toEqual([0, 0]);
    expect(ft.interval[0]).toBeLessThanOrEqual(ft.score);
    expect(ft.interval[1]).toBeGreaterThanOrEqual(ft.score);
    expect(report.comparison.interval[0]).toBeGreaterThan(0);
    // An openai-compatible server has no known prices: the stage's `prices` param gives them.
    expect(ft.usage).toMatchObject({ requests: sampleCount, sent: sampleCount, cached: 0, without_usage: 0 });
    expect(ft.usage.prompt_tokens).toBeGreaterThan(0);
    const expectedCost = Math.round(((ft.usage.prompt_tokens * 0.3 + ft.usage.completion_tokens * 1.2) / 1e6) * 1e6) / 1e6;
    expect(ft.usage.cost_usd).toBe(expectedCost);
    expect(ft.usage.cost_usd_sent).toBe(expectedCost);
    expect(report.cost_usd).toBeCloseTo(expectedCost + base.usage.cost_usd, 6);
    expect(ft.latency).toMatchObject({ p50_ms: expect.any(Number), p95_ms: expect.any(Number) });
    expect(report.rows[0].answers['fine-tuned']).toMatchObject({ cached: false, latency_ms: expect.any(Number), tokens: { prompt: expect.any(Number) } });
    expect(Object.keys(ft.metrics)).toEqual(expect.arrayContaining(['macro', 'micro', 'weighted']));
    // JUnit: one test case per sample and model; the untrained base model fails every one, with expected and got.
    const junit = readFileSync(run.outputs.junit, 'utf8');
    expect(junit).toContain(`<testsuites tests="${2 * sampleCount + 2}" failures="${sampleCount}"`);
    expect(junit).toMatch(/<testcase classname="eval\.base" name="data\.jsonl:1" file="[^"]+" time="[\d.]+">\s*<failure message="expected &quot;dfs\.[\w$]+&quot;, got &quot;This is the untrained local base model/);
    expect(junit).toContain('<testsuite name="eval · thresholds" tests="2" failures="0"');
    expect(result.values.scores).toEqual({ base: 0, 'fine-tuned': ft.score });
    const md = readFileSync(run.outputs.summary, 'utf8');
    expect(md).toContain('| model | label | accuracy |');
    expect(md).toContain('Confusion (rows: ideal');
  });

  it('a rerun is answered from the cache; a failed threshold exits 4 after writing the report and logging the scores', async () => {
    const cache = join(dir, 'cache-a');
    const before = chatRequests(local.server);
    const again = await runStage(withSharedCache(cache), { provider: local.provider, params: { samples, models: [baseModelId, tuned], metric: 'classification' } });
    expect(chatRequests(local.server)).toBe(before);
    expect(JSON.parse(readFileSync(again.outputs.report, 'utf8')).requests).toEqual({ sent: 0, cached: 2 * sampleCount });

    // Labels swapped: the "fine-tuned" model is the base one, so it cannot beat "base".
    const seen: { logs: string[]; report?: string } = { logs: [] };
    const error = await runStage(withSharedCache(cache, seen), {
      provider: local.provider,
      params: { samples, metric: 'classification', must_beat_base: true, models: [{ id: tuned, label: 'base' }, { id: baseModelId, label: 'fine-tuned' }] },
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'EVAL_THRESHOLD', exitCode: ExitCode.thresholdFailed });
    expect(error.message).toMatch(/fine-tuned \(0\.00\) does not beat base/);
    expect(JSON.parse(readFileSync(seen.report!, 'utf8')).thresholds).toMatchObject({ passed: false, must_beat_base: true });
    expect(seen.logs).toContain(`fine-tuned (${baseModelId}): accuracy 0.0000`);
    expect(seen.logs.at(-1)).toMatch(/^accuracy base (0\.\d\d|1\.00) → fine-tuned 0\.00 \(-/);
    expect(chatRequests(local.server)).toBe(before);
  });

  it('scores the same cached answers with other metrics: custom compare module, includes, match', async () => {
    const cache = join(dir, 'cache-a');
    const before = chatRequests(local.server);
    const score = async (params: Record<string, unknown>) => {
      const run = await runStage(withSharedCache(cache), { provider: local.provider, params: { samples, models: [baseModelId, tuned], ...params } });
      return JSON.parse(readFileSync(run.outputs.report, 'utf8')).models.map((m: any) => m.score);
    };
    const [, classification] = await score({ metric: 'classification' });
    // Exact answers score 1 with the trimming compare module, as with classification (single labels).
    expect(await score({ metric: 'custom', compare: join(import.meta.dirname, '../fixtures/eval/compare-trimmed.mjs') })).toEqual([0, classification]);
    expect(await score({ metric: 'match' })).toEqual([0, classification]);
    expect(await score({ metric: 'includes' })).toEqual([0, classification]);
    expect(chatRequests(local.server)).toBe(before);
    await expect(score({ metric: 'json_match' })).rejects.toMatchObject({ code: 'EVAL_SAMPLES_INVALID', message: expect.stringMatching(/data\.jsonl:\d+: ideal "dfs\.[\w$]+" is not valid JSON \(metric json_match\)/) });
  });

  it('resumes a killed run: only the missing requests are sent again', async () => {
    const cache = join(dir, 'cache-resume');
    const controller = new AbortController();
    let answered = 0;
    // The real provider, with a tripwire that kills the run after 5 answers (like Ctrl-C mid-eval).
    const tripwire: Provider = Object.create(local.provider, {
      chat: {
        value: async (...args: Parameters<Provider['chat']>) => {
          const response = await local.provider.chat(...args);
          if (++answered === 5) controller.abort(new Error('killed'));
          return response;
        },
      },
    });
    const first = chatRequests(local.server);
    await expect(runStage(withSharedCache(cache), { provider: tripwire, signal: controller.signal, params: { samples, models: [baseModelId, tuned], metric: 'classification', concurrency: 2 } })).rejects.toThrow();
    const sentBeforeKill = chatRequests(local.server) - first;
    expect(sentBeforeKill).toBeGreaterThanOrEqual(5);
    expect(sentBeforeKill).toBeLessThan(2 * sampleCount);

    const second = chatRequests(local.server);
    const rerun = await runStage(withSharedCache(cache), { provider: local.provider, params: { samples, models: [baseModelId, tuned], metric: 'classification', concurrency: 2 } });
    const report = JSON.parse(readFileSync(rerun.outputs.report, 'utf8'));
    expect(report.requests).toEqual({ sent: 2 * sampleCount - 5, cached: 5 });
    expect(chatRequests(local.server) - second).toBe(2 * sampleCount - 5);
  });
});
