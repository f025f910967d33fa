import { describe, expect, it } from 'vitest';
import { differenceInterval, meanInterval } from '../../src/eval/bootstrap.js';
import { tokenPrice, costUsd } from '../../src/eval/inference-prices.js';
import { junitXml } from '../../src/eval/junit-report.js';
import { pythonRepr } from '../../src/eval/python-format.js';
import { classificationScores } from '../../src/eval/classification.js';
import { latencySummary } from '../../src/eval/usage.js';
import type { EvalReport } from '../../src/eval/eval-report.js';

describe('seeded bootstrap intervals', () => {
  const scores = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1];
  it('are reproducible for a seed and contain the mean', () => {
    const a = meanInterval(scores, { resamples: 2000, seed: 7, confidence: 0.95 });
    expect(meanInterval(scores, { resamples: 2000, seed: 7, confidence: 0.95 })).toEqual(a);
    expect(a![0]).toBeLessThan(0.7);
    expect(a![1]).toBeGreaterThan(0.7);
    expect(a![1]).toBeLessThanOrEqual(1);
    expect(meanInterval([1], { resamples: 100, seed: 0, confidence: 0.95 })).toBeNull();
    expect(meanInterval([1, 1, 1], { resamples: 100, seed: 0, confidence: 0.95 })).toEqual([1, 1]);
  });
  it('pair the samples for a difference: a model better on every sample has an interval above 0', () => {
    const base = [0, 0, 1, 0, 1, 0, 0, 1, 0, 0];
    const better = base.map(() => 1);
    const interval = differenceInterval(base, better, { resamples: 1000, seed: 0, confidence: 0.95 })!;
    expect(interval[0]).toBeGreaterThan(0);
    // The same scores on both sides: exactly zero, whatever the resample.
    expect(differenceInterval(base, base)).toEqual([0, 0]);
  });
});

describe('prices and cost', () => {
  it('uses the catalog for openai and azure, 0 for free providers, the prices param over both, null otherwise', () => {
    expect(tokenPrice('gpt-4o-mini-2024-07-18', 'catalog')).toEqual({ input: 0.15, output: 0.6 });
    expect(tokenPrice('ft:gpt-4o-mini-2024-07-18:acme::abc', 'catalog')).toEqual({ input: 0.3, output: 1.2 });
    expect(tokenPrice('gpt-4.1-mini-2025-04-14', 'catalog')).toEqual({ input: 0.4, output: 1.6 });
    expect(tokenPrice('anything', 'free')).toEqual({ input: 0, output: 0 });
    expect(tokenPrice('llama', 'unknown')).toBeNull();
    expect(tokenPrice('llama', 'unknown', { llama: { input: 1, output: 2 } })).toEqual({ input: 1, output: 2 });
    expect(costUsd({ prompt: 1_000_000, completion: 500_000 }, { input: 0.15, output: 0.6 })).toBe(0.45);
  });
  it('summarises latency with nearest-rank percentiles', () => {
    expect(latencySummary([10, 20, 30, 40, 100])).toEqual({ mean_ms: 40, p50_ms: 30, p95_ms: 100, max_ms: 100 });
    expect(latencySummary([])).toBeNull();
  });
});

describe('classification averages', () => {
  it('micro pools the counts, weighted weighs labels by support', () => {
    const s = classificationScores([
      { ideal: ['a'], predicted: ['a'] },
      { ideal: ['a'], predicted: ['a'] },
      { ideal: ['a'], predicted: ['b'] },
      { ideal: ['b'], predicted: ['b'] },
    ]);
    // a: tp 2 fn 1 fp 0; b: tp 1 fp 1 fn 0 → pooled tp 3, fp 1, fn 1
    expect(s.micro).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(s.weighted.recall).toBeCloseTo((3 * (2 / 3) + 1 * 1) / 4);
    expect(s.macro.recall).toBeCloseTo((2 / 3 + 1) / 2);
  });
});

describe('Python printing', () => {
  it('repr() quotes and escapes as CPython', () => {
    expect(pythonRepr(['disk', "it's", 'say "hi"', "both ' \""])).toBe(`['disk', "it's", 'say "hi"', 'both \\' "']`);
    expect(pythonRepr({ a: [1, 1.5, true, null], b: 'x\ny\u0000' })).toBe("{'a': [1, 1.5, True, None], 'b': 'x\\ny\\x00'}");
    expect(pythonRepr(1e16)).toBe('1e+16');
    expect(pythonRepr(0.00001)).toBe('1e-05');
    expect(pythonRepr('\u200b\u00e9')).toBe("'\\u200bé'");
  });
});

describe('JUnit XML', () => {
  it('one case per sample and model; failures carry expected and got; XML-unsafe characters are replaced', () => {
    const usage = { requests: 1, sent: 1, cached: 0, prompt_tokens: 1, completion_tokens: 1, without_usage: 0, cost_usd: 0, cost_usd_sent: 0 };
    const report = {
      metric: 'match',
      score_name: 'accuracy',
      models: [{ id: 'm', label: 'fine-tuned', score: 0.5, samples: 2, metrics: {}, usage, latency: null }],
      thresholds: { min_score: 0.9, passed: false, failed: ['min_score'], failures: ['accuracy of fine-tuned is 0.50, below min_score 0.90'] },
      rows: [
        { file: '/w/samples.jsonl', line: 1, input: [], ideal: 'Paris', answers: { 'fine-tuned': { answer: 'Paris', score: 1, cached: false, latency_ms: 1500 } } },
        { file: '/w/samples.jsonl', line: 2, input: [], ideal: ['Lima', 'lima'], answers: { 'fine-tuned': { answer: 'Bogotá\u0001 ]]> <b>', score: 0, cached: true } } },
      ],
    } as unknown as EvalReport;
    const xml = junitXml(report, 'eval');
    expect(xml).toContain('<testsuites tests="3" failures="2"');
    expect(xml).toContain('<testcase classname="eval.fine-tuned" name="samples.jsonl:1" file="/w/samples.jsonl" time="1.5"/>');
    expect(xml).toContain('<failure message="expected &quot;Lima | lima&quot;, got &quot;Bogotá\\u0001 ]]> &lt;b>&quot; (accuracy 0.00)" type="match">');
    expect(xml).toContain('Bogotá\uFFFD ]]]]><![CDATA[> <b>'); // the body's CDATA is split around "]]>"
    expect(xml).toContain('<testcase classname="eval.thresholds" name="min_score: 0.9">');
    expect(xml).not.toContain('\u0001');
  });
});
