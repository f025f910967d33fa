/**
 * Chat through the response cache: a hit costs nothing; a miss asks the Provider (which retries
 * 429/5xx itself), every attempt paced by the rate-limit state seen so far, and stores the answer at
 * once. Errors propagate and are not stored. `response_cache: refresh` asks again and overwrites the
 * entry; `off` neither reads nor writes it.
 */
import type { ChatRequest, Provider } from '../providers/types.js';
import type { CachedResponse, ResponseCache } from './response-cache.js';
import { RequestPacer } from './request-pacer.js';

export type ResponseCacheMode = 'use' | 'refresh' | 'off';

export type ChatAnswer = CachedResponse & { cached: boolean };

export type CachedChat = (request: ChatRequest, signal?: AbortSignal) => Promise<ChatAnswer>;

export interface ChatCounters {
  sent: number;
  cached: number;
}

/** For a stage's result: the answers the response cache gave instead of the provider, if any (StageResult.reused). */
export function answersReused(counters: ChatCounters): { reused?: string } {
  if (counters.cached === 0) return {};
  return { reused: `${counters.cached} of ${counters.cached + counters.sent} answers from the response cache` };
}

export function cachedChat(provider: Provider, cache: ResponseCache, counters: ChatCounters = { sent: 0, cached: 0 }, options: { pacer?: RequestPacer; mode?: ResponseCacheMode } = {}): CachedChat {
  const pacer = options.pacer ?? new RequestPacer();
  const mode = options.mode ?? 'use';
  return async (request, signal) => {
    const key = cache.key(provider.identity, request);
    const hit = mode === 'use' ? await cache.get(key) : undefined;
    if (hit) {
      counters.cached++;
      return { ...hit, cached: true };
    }
    // Also here, for adapters that do not call beforeAttempt.
    await pacer.ready(signal);
    signal?.throwIfAborted();
    let attemptStart = performance.now();
    const response = await provider.chat(request, {
      signal,
      beforeAttempt: async (attemptSignal) => {
        await pacer.ready(attemptSignal);
        attemptStart = performance.now();
      },
      onRateLimit: (state) => pacer.observe(state),
    });
    const latencyMs = Math.round(performance.now() - attemptStart);
    pacer.observe(response.rateLimit);
    counters.sent++;
    if (mode === 'off') return { content: response.content, finishReason: response.finishReason, ...(response.usage ? { usage: response.usage } : {}), latencyMs, cached: false };
    return { ...(await cache.put(key, request, response, latencyMs)), cached: false };
  };
}
