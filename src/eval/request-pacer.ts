/**
 * Paces requests by the rate-limit headers a provider returns (x-ratelimit-remaining-requests,
 * x-ratelimit-reset-requests): when the budget runs out, new requests wait for the reset instead of
 * being sent into a 429. Retrying a 429 is the Provider's job (it honours retry-after); this only
 * avoids causing them, so nothing is retried twice.
 */
import { abortableSleep } from '../remote/abortable-sleep.js';
import type { RateLimitState } from '../providers/types.js';

export class RequestPacer {
  private blockedUntil = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Waits while the provider said the request budget is spent. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.blockedUntil - this.now();
      if (wait <= 0) return;
      await abortableSleep(wait, signal);
    }
  }

  /** Learns from one response's rate-limit state. */
  observe(state: RateLimitState | undefined): void {
    if (!state) return;
    const spent = (remaining: number | undefined, resetMs: number | undefined) => remaining !== undefined && remaining <= 0 && resetMs !== undefined;
    if (spent(state.remainingRequests, state.resetRequestsMs)) this.blockUntil(this.now() + state.resetRequestsMs!);
    if (spent(state.remainingTokens, state.resetTokensMs)) this.blockUntil(this.now() + state.resetTokensMs!);
  }

  private blockUntil(time: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, time);
  }
}

/** OpenAI's reset durations: "1s", "6m0s", "20ms", "1h2m3.5s". */
export function parseResetDuration(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  return parts.reduce((total, [, value, u]) => total + Number(value) * unit[u], 0);
}

/** The RateLimitState in a response's headers, for adapters that see them. */
export function rateLimitFromHeaders(headers: { get(name: string): string | null }): RateLimitState | undefined {
  const number = (name: string) => {
    const raw = headers.get(name);
    const value = raw === null ? NaN : Number(raw);
    return Number.isFinite(value) ? value : undefined;
  };
  const duration = (name: string) => {
    const raw = headers.get(name);
    return raw === null ? undefined : parseResetDuration(raw);
  };
  const state: RateLimitState = {
    remainingRequests: number('x-ratelimit-remaining-requests'),
    resetRequestsMs: duration('x-ratelimit-reset-requests'),
    remainingTokens: number('x-ratelimit-remaining-tokens'),
    resetTokensMs: duration('x-ratelimit-reset-tokens'),
  };
  return Object.values(state).some((v) => v !== undefined) ? state : undefined;
}
