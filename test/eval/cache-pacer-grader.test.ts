import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseCache } from '../../src/eval/response-cache.js';
import { cachedChat, type CachedChat } from '../../src/eval/cached-chat.js';
import { RequestPacer } from '../../src/eval/request-pacer.js';
import { parseResetDuration, rateLimitFromHeaders } from '../../src/providers/rate-limit-headers.js';
import { readModelGradedSpec } from '../../src/eval/modelgraded-spec.js';
import { modelGradedScorer } from '../../src/eval/modelgraded-scorer.js';
import { toEvalSample } from '../../src/eval/eval-sample.js';
import { checkThresholds } from '../../src/eval/thresholds.js';
import { baseModelId, chatRequests, startLocal, type LocalSetup } from './local-model.js';

const dir = mkdtempSync(join(tmpdir(), 'ftpipe-cache-'));
let local: LocalSetup;
beforeAll(async () => {
  // Every first chat request fails with a 503: the Provider's own retry must absorb it.
  local = await startLocal(join(dir, 'provider'), { serverError: { first: 1, status: 503, routes: ['POST /v1/chat/completions'] } });
});
afterAll(async () => local?.close());

describe('response cache', () => {
  it('stores each answer once, keyed by provider, model, messages and params; errors are not stored', async () => {
    const cacheDir = join(dir, 'responses');
    const cache = new ResponseCache(cacheDir);
    const counters = { sent: 0, cached: 0 };
    const chat = cachedChat(local.provider, cache, counters);
    const request = { model: baseModelId, messages: [{ role: 'user' as const, content: 'hello' }], temperature: 0 };
    const first = await chat(request);
    expect(first).toMatchObject({ cached: false, content: expect.stringContaining('untrained') });
    // The injected 503 was retried inside the Provider: two HTTP requests, one answer.
    expect(chatRequests(local.server)).toBe(2);
    expect(await chat(request)).toMatchObject({ cached: true, content: first.content });
    await chat({ ...request, temperature: 0.5 });
    expect(counters).toEqual({ sent: 2, cached: 1 });
    expect(cache.key({ kind: 'local' }, request)).not.toBe(cache.key({ kind: 'openai' }, request));

    const entries = () => readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.json')).length;
    expect(entries()).toBe(2);
    await expect(chat({ ...request, model: 'no-such-model' })).rejects.toThrow();
    expect(entries()).toBe(2);
    expect(readdirSync(cacheDir, { recursive: true }).some((f) => String(f).endsWith('.tmp'))).toBe(false);
  });
});

describe('rate-limit pacing', () => {
  it('reads OpenAI rate-limit headers', () => {
    expect(parseResetDuration('6m0s')).toBe(360_000);
    expect(parseResetDuration('1.5s')).toBe(1500);
    expect(parseResetDuration('20ms')).toBe(20);
    expect(parseResetDuration('soon')).toBeUndefined();
    const headers = new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '150ms' });
    expect(rateLimitFromHeaders(headers)).toEqual({ remainingRequests: 0, resetRequestsMs: 150, remainingTokens: undefined, resetTokensMs: undefined });
    expect(rateLimitFromHeaders(new Headers())).toBeUndefined();
  });
  it('holds new requests until the budget resets when the provider says it is spent', async () => {
    const pacer = new RequestPacer();
    pacer.observe({ remainingRequests: 5, resetRequestsMs: 10_000 });
    let start = Date.now();
    await pacer.ready();
    expect(Date.now() - start).toBeLessThan(50);
    pacer.observe({ remainingRequests: 0, resetRequestsMs: 150 });
    start = Date.now();
    await pacer.ready();
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });
});

describe('model-graded scoring', () => {
  it('asks the grader with the filled spec prompt and scores the parsed choice', async () => {
    const spec = await readModelGradedSpec(join(import.meta.dirname, '../fixtures/eval/json_error_categorization.yaml'));
    const prompts: string[] = [];
    // A grader that reasons, then answers on the last line (cot_classify), judging by the data it was shown.
    const grader: CachedChat = async (request) => {
      const text = String(request.messages[0].content);
      prompts.push(text);
      const submitted = /\[Submitted categorisation\]: (.*)/.exec(text)![1];
      const expert = /\[Expert categorisation\]: (.*)/.exec(text)![1];
      const choice = submitted === expert ? 'Y' : submitted.includes('"disk"') && expert.includes('"disk"') ? 'P' : submitted.startsWith('{') ? 'N' : 'nonsense';
      return { content: `Let me compare the categories.\nThey were compared.\n${choice}`, finishReason: 'stop', cached: false };
    };
    const scorer = modelGradedScorer({ spec, chat: grader, model: 'grader-model' });
    const sample = toEvalSample({ input: [{ role: 'user', content: 'EXT4-fs error (device sda1)' }], ideal: '{"category": "disk", "component": "kernel"}' }, 's.jsonl', 1);
    const verdicts = [
      await scorer.judge('{"category": "disk", "component": "kernel"}', sample),
      await scorer.judge('{"category": "disk", "component": "fs"}', sample),
      await scorer.judge('{"category": "network"}', sample),
      await scorer.judge('I think it is a disk problem', sample),
    ];
    expect(verdicts.map((v) => [v.detail!.choice, v.score])).toEqual([['Y', 1], ['P', 0.5], ['N', 0], ['__invalid__', 0]]);
    expect(prompts[0]).toContain('[Log line]: User: EXT4-fs error (device sda1)');
    expect(scorer.summarize(verdicts.map((verdict) => ({ sample, answer: '', verdict })))).toEqual({ spec: 'json_error_categorization', choice_counts: { Y: 1, P: 1, N: 1, __invalid__: 1 } });
  });
});

describe('thresholds', () => {
  const models = [
    { id: 'b', label: 'base', score: 0.4, samples: 10, metrics: {} },
    { id: 'f', label: 'fine-tuned', score: 0.7, samples: 10, metrics: {} },
  ];
  it('checks min_score on the fine-tuned model and must_beat_base', () => {
    expect(checkThresholds(models, { min_score: 0.7, must_beat_base: true }, 'accuracy')).toEqual({ min_score: 0.7, must_beat_base: true, passed: true, failures: [] });
    expect(checkThresholds(models, { min_score: 0.75 }, 'accuracy').failures).toEqual(['accuracy of fine-tuned is 0.70, below min_score 0.75']);
    expect(checkThresholds([models[0], { ...models[1], score: 0.4 }], { must_beat_base: true }, 'accuracy').passed).toBe(false);
    expect(() => checkThresholds([models[1]], { must_beat_base: true }, 'accuracy')).toThrow(/needs a model labelled "base"/);
  });
});
