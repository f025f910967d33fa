/**
 * Paces requests by the rate-limit headers a provider returns (x-ratelimit-remaining-requests,
 * x-ratelimit-reset-requests, a 429's retry-after): when the budget runs out, new requests and the
 * Provider's own retries (through ChatOptions.beforeAttempt) wait for the reset instead of being sent
 * into another 429. Retrying is the Provider's job; this only decides when an attempt may go out.
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
    if (state.retryAfterMs !== undefined) this.blockUntil(this.now() + state.retryAfterMs);
  }

  private blockUntil(time: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, time);
  }
}
