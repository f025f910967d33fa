import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvider } from '../../src/providers/index.js';
import { ResponseCache } from '../../src/eval/response-cache.js';
import { cachedChat, type CachedChat } from '../../src/eval/cached-chat.js';
import { RequestPacer } from '../../src/eval/request-pacer.js';
import { parseResetDuration, rateLimitFromHeaders } from '../../src/providers/rate-limit-headers.js';
import { readModelGradedSpec } from '../../src/eval/modelgraded-spec.js';
import { modelGradedScorer } from '../../src/eval/modelgraded-scorer.js';
import { toEvalSample } from '../../src/eval/eval-sample.js';
import { checkThresholds } from '../../src/eval/thresholds.js';
import { UsageTally } from '../../src/eval/usage.js';
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
    const cache = await ResponseCache.open(cacheDir);
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
    const scorer = modelGradedScorer({ spec, chat: grader, model: 'grader-model', evalType: 'cot_classify' });
    const sample = toEvalSample({ input: [{ role: 'user', content: 'EXT4-fs error (device sda1)' }], ideal: '{"category": "disk", "component": "kernel"}' }, 's.jsonl', 1);
    const judge = (completion: string) => scorer.judge(completion, sample, undefined, { completion });
    const verdicts = [await judge('{"category": "disk", "component": "kernel"}'), await judge('{"category": "disk", "component": "fs"}'), await judge('{"category": "network"}'), await judge('I think it is a disk problem')];
    expect(verdicts.map((v) => [v.detail!.choice, v.score])).toEqual([['Y', 1], ['P', 0.5], ['N', 0], ['__invalid__', 0]]);
    // One input message is its content alone (chat_prompt_to_text_prompt), no "User: " prefix.
    expect(prompts[0]).toContain('[Log line]: EXT4-fs error (device sda1)\n');
    expect(prompts[0]).toMatch(/print only a single choice from "Y" or "P" or "N".*Reasoning:$/s);
    expect(scorer.summarize(verdicts.map((verdict) => ({ sample, answer: '', verdict })))).toEqual({ spec: 'json_error_categorization', choice_counts: { Y: 1, P: 1, N: 1, __invalid__: 1 } });
  });
});

describe('thresholds', () => {
  const usage = new UsageTally().summary(null);
  const models = [
    { id: 'b', label: 'base', score: 0.4, samples: 10, metrics: {}, usage, latency: null },
    { id: 'f', label: 'fine-tuned', score: 0.7, samples: 10, metrics: {}, usage, latency: null },
  ];
  it('checks min_score on the fine-tuned model and must_beat_base', () => {
    expect(checkThresholds(models, { min_score: 0.7, must_beat_base: true }, 'accuracy')).toEqual({ min_score: 0.7, must_beat_base: true, passed: true, failed: [], failures: [] });
    expect(checkThresholds(models, { min_score: 0.75 }, 'accuracy').failures).toEqual(['accuracy of fine-tuned is 0.70, below min_score 0.75']);
    expect(checkThresholds([models[0], { ...models[1], score: 0.4 }], { must_beat_base: true }, 'accuracy').passed).toBe(false);
    expect(() => checkThresholds([models[1]], { must_beat_base: true }, 'accuracy')).toThrow(/needs a model labelled "base"/);
  });
  it('must_beat_base: interval needs the bootstrap interval of the difference to exclude 0', () => {
    const pass = checkThresholds(models, { must_beat_base: 'interval' }, 'accuracy', { interval: [0.05, 0.5], confidence: 0.95 });
    expect(pass.passed).toBe(true);
    const fail = checkThresholds(models, { must_beat_base: 'interval' }, 'accuracy', { interval: [-0.1, 0.6], confidence: 0.95 });
    expect(fail).toMatchObject({ passed: false, failed: ['must_beat_base'] });
    expect(fail.failures[0]).toBe('the 95% interval of fine-tuned − base is [-0.10, +0.60], which does not exclude 0 (must_beat_base: interval)');
  });
});

describe('429 retries through the pacer', () => {
  it("a request answered 429 after the budget was spent retries only when the pacer lets it (not after the 429's own short retry-after)", async () => {
    let held: ((status: number) => void) | undefined;
    let heldArrived!: () => void;
    const bArrived = new Promise<void>((r) => (heldArrived = r));
    let retryAt = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { messages } = JSON.parse(body);
        const answer = (status: number, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(status === 200 ? JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }) : JSON.stringify({ error: { message: 'rate limited', type: 'requests', code: 'rate_limit_exceeded' } }));
        };
        if (messages[0].content === 'A') return answer(200, { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '400ms' });
        if (!held) {
          held = (status) => answer(status, { 'retry-after-ms': '10' });
          return heldArrived();
        }
        retryAt = Date.now();
        answer(200);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const provider = await createProvider({ kind: 'openai-compatible', base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` }, { workspace: dir, env: {} });
    try {
      const chat = cachedChat(provider, await ResponseCache.open(join(dir, 'paced')), { sent: 0, cached: 0 });
      const request = (content: string) => ({ model: 'm', messages: [{ role: 'user' as const, content }] });
      const b = chat(request('B'));
      await bArrived;
      const beforeA = Date.now();
      await chat(request('A')); // says: no requests left for 400 ms
      held!(429); // B, sent before, is refused with a 10 ms retry-after
      expect((await b).content).toBe('ok');
      expect(retryAt - beforeA).toBeGreaterThanOrEqual(400);
    } finally {
      await provider.close();
      server.close();
    }
  });
});

describe('response cache housekeeping', () => {
  it('removes temp files a killed run left behind, never those of a live process', async () => {
    const cacheDir = join(dir, 'orphans');
    const gone = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString(); // a pid that has exited
    mkdirSync(join(cacheDir, 'ab'), { recursive: true });
    writeFileSync(join(cacheDir, 'ab', `.cdef.json.${gone}.0a1b2c3d.tmp`), '{"half":');
    writeFileSync(join(cacheDir, 'ab', `.cdef.json.${process.pid}.0a1b2c3d.tmp`), '{"in flight":');
    writeFileSync(join(cacheDir, 'ab', 'cdef.json'), '{}');
    await ResponseCache.open(cacheDir);
    expect(readdirSync(join(cacheDir, 'ab')).sort()).toEqual([`.cdef.json.${process.pid}.0a1b2c3d.tmp`, 'cdef.json']);
  });

  it('response_cache refresh asks again and overwrites the entry; off neither reads nor writes', async () => {
    const cacheDir = join(dir, 'modes');
    const request = { model: baseModelId, messages: [{ role: 'user' as const, content: 'modes' }], temperature: 0 };
    const counters = { sent: 0, cached: 0 };
    const open = () => ResponseCache.open(cacheDir);
    await cachedChat(local.provider, await open(), counters)(request);
    await cachedChat(local.provider, await open(), counters)(request);
    expect(counters).toEqual({ sent: 1, cached: 1 });
    await cachedChat(local.provider, await open(), counters, { mode: 'refresh' })(request);
    expect(counters).toEqual({ sent: 2, cached: 1 });
    rmSync(cacheDir, { recursive: true });
    await cachedChat(local.provider, await open(), counters, { mode: 'off' })(request);
    expect(counters).toEqual({ sent: 3, cached: 1 });
    expect(existsSync(cacheDir)).toBe(false);
  });
});
