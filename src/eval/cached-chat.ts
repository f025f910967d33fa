/**
 * Chat through the response cache: a hit costs nothing, a miss waits for the pacer, asks the Provider
 * (which retries 429/5xx itself) and stores the answer at once. Errors propagate and are not stored.
 */
import type { ChatRequest, Provider } from '../providers/types.js';
import type { CachedResponse, ResponseCache } from './response-cache.js';
import { RequestPacer } from './request-pacer.js';

export type CachedChat = (request: ChatRequest, signal?: AbortSignal) => Promise<CachedResponse & { cached: boolean }>;

export interface ChatCounters {
  sent: number;
  cached: number;
}

export function cachedChat(provider: Provider, cache: ResponseCache, counters: ChatCounters = { sent: 0, cached: 0 }, pacer = new RequestPacer()): CachedChat {
  return async (request, signal) => {
    const key = cache.key(provider.identity, request);
    const hit = await cache.get(key);
    if (hit) {
      counters.cached++;
      return { ...hit, cached: true };
    }
    await pacer.ready(signal);
    signal?.throwIfAborted();
    const response = await provider.chat(request, { signal });
    pacer.observe(response.rateLimit);
    counters.sent++;
    return { ...(await cache.put(key, request, response)), cached: false };
  };
}
