/**
 * Our own retry loop around provider calls (the SDK's is switched off): 429 waits as long as the
 * provider asks (retry-after-ms, retry-after), 5xx and dropped connections back off exponentially
 * with jitter, up to a cap. Waits end early on abort. Creating calls never come through here
 * directly: they retry through findBeforeCreate so a lost response cannot become a second job.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { abortableSleep } from './abortable-sleep.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest retry-after we agree to wait; longer ones are capped to it. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 120_000 };

export interface RetryDecision {
  retry: boolean;
  /** The wait the provider asked for, if any. */
  retryAfterMs?: number;
}

/** Whether an error from a provider call is worth another attempt. */
export function classifyError(error: unknown): RetryDecision {
  if (error instanceof APIUserAbortError) return { retry: false };
  if (error instanceof APIConnectionError) return { retry: true };
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const retryAfterMs = retryAfterFrom(error.headers);
    if (status === 429) {
      // insufficient_quota is a 429 that no amount of waiting fixes.
      if (error.code === 'insufficient_quota') return { retry: false };
      return { retry: true, retryAfterMs };
    }
    if (status === 408 || status === 409 || status >= 500) return { retry: true, retryAfterMs };
    return { retry: false };
  }
  // fetch's own network failures (ECONNRESET, socket hang up) surface as TypeError("fetch failed").
  if (error instanceof TypeError && /fetch failed|terminated|socket/i.test(error.message)) return { retry: true };
  return { retry: false };
}

/** retry-after-ms (ms), else retry-after (seconds or an HTTP date). */
export function retryAfterFrom(headers: Headers | undefined | null): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Delay before attempt n+1 (n from 0): exponential, capped, with "equal jitter" so waits never collapse to 0. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface RetryOptions {
  signal?: AbortSignal;
  policy?: RetryPolicy;
  /** Told before each wait, for logs ("429, retrying in 2.0s"). */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const decision = classifyError(error);
      if (!decision.retry || attempt + 1 >= policy.attempts || options.signal?.aborted) throw error;
      const delayMs = decision.retryAfterMs !== undefined ? Math.min(decision.retryAfterMs, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
      options.onRetry?.({ attempt, delayMs, error });
      await abortableSleep(delayMs, options.signal);
    }
  }
}
