import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIError } from 'openai';
import { backoffDelay, classifyError, defaultRetryPolicy, retryAfterFrom, withRetries } from '../../src/remote/retry.js';
import { findBeforeCreate } from '../../src/remote/find-before-create.js';
import { mayHaveReachedServer } from '../../src/remote/job-lookup.js';

const apiError = (status: number, headers: Record<string, string> = {}, code?: string) => APIError.generate(status, code ? { error: { code, message: 'x' } } : undefined, 'x', new Headers(headers));
const fast = { ...defaultRetryPolicy, baseDelayMs: 1, maxDelayMs: 4 };

describe('retry rules', () => {
  it('retries 429, 5xx and dropped connections, not 4xx or insufficient_quota', () => {
    expect(classifyError(apiError(429)).retry).toBe(true);
    expect(classifyError(apiError(503)).retry).toBe(true);
    expect(classifyError(new APIConnectionError({ message: 'reset' })).retry).toBe(true);
    expect(classifyError(apiError(400)).retry).toBe(false);
    expect(classifyError(apiError(401)).retry).toBe(false);
    expect(classifyError(apiError(429, {}, 'insufficient_quota')).retry).toBe(false);
  });

  it('reads retry-after-ms before retry-after (seconds or HTTP date)', () => {
    expect(retryAfterFrom(new Headers({ 'retry-after-ms': '250', 'retry-after': '1' }))).toBe(250);
    expect(retryAfterFrom(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const inFive = new Date(Date.now() + 5000).toUTCString();
    expect(retryAfterFrom(new Headers({ 'retry-after': inFive }))).toBeGreaterThan(3000);
    expect(retryAfterFrom(new Headers({}))).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(800);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
  });

  it('withRetries waits what retry-after-ms asks and then succeeds', async () => {
    let calls = 0;
    const started = Date.now();
    const value = await withRetries(async () => {
      if (++calls < 3) throw apiError(429, { 'retry-after-ms': '60' });
      return 'ok';
    }, { policy: fast });
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('withRetries gives up on a client error at once', async () => {
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw apiError(400); }, { policy: fast })).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 30);
    const started = Date.now();
    await expect(withRetries(async () => { throw apiError(429, { 'retry-after': '10' }); }, { signal: controller.signal })).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('findBeforeCreate', () => {
  it('finds what a create with a lost response made, instead of creating twice', async () => {
    const made: string[] = [];
    let creates = 0;
    const result = await findBeforeCreate({
      find: async () => made[0] ?? null,
      create: async () => {
        creates++;
        made.push('job-1');
        throw new APIConnectionError({ message: 'socket hang up' }); // the job exists, the answer is lost
      },
    }, { policy: fast });
    expect(result).toEqual({ value: 'job-1', created: false });
    expect(creates).toBe(1);
  });

  it('creates once when nothing exists', async () => {
    let creates = 0;
    const result = await findBeforeCreate({ find: async () => null, create: async () => `job-${++creates}` }, { policy: fast });
    expect(result).toEqual({ value: 'job-1', created: true });
  });
});

describe('mayHaveReachedServer (creates on providers without job lookup)', () => {
  const connection = (code: string) => new APIConnectionError({ message: 'x', cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) }) });
  it('is false only when the failure proves the request was not acted on', () => {
    expect(mayHaveReachedServer(connection('ECONNREFUSED'))).toBe(false);
    expect(mayHaveReachedServer(connection('ENOTFOUND'))).toBe(false);
    expect(mayHaveReachedServer(apiError(429))).toBe(false);
    expect(mayHaveReachedServer(apiError(503))).toBe(false);
    expect(mayHaveReachedServer(apiError(400))).toBe(false);
    expect(mayHaveReachedServer(connection('ECONNRESET'))).toBe(true);
    expect(mayHaveReachedServer(new APIConnectionError({ message: 'socket hang up' }))).toBe(true);
    expect(mayHaveReachedServer(apiError(500))).toBe(true);
    expect(mayHaveReachedServer(apiError(502))).toBe(true);
  });
});
