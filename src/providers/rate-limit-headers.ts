/** The x-ratelimit-* response headers of OpenAI-style APIs, as a RateLimitState. */
import type { RateLimitState } from './types.js';

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
