/**
 * Fault injection: make the local provider misbehave the way real providers do, so retry, resume and
 * error-reporting code can be tested offline. Probabilities use a seeded generator (reproducible runs).
 */
import { ApiError } from './api-error.js';
import { seededRandom } from './random.js';

/** When a fault fires: on the first N matching requests, or with a probability, or both. */
export interface FaultTrigger {
  first?: number;
  probability?: number;
  /** Route keys ("POST /v1/files", "GET /v1/fine_tuning/jobs/:id") the fault applies to; all when absent. */
  routes?: string[];
}

export interface FaultConfig {
  /** Added to every response (ms). */
  latencyMs?: number;
  rateLimit?: FaultTrigger & { retryAfterSeconds?: number };
  serverError?: FaultTrigger & { status?: 500 | 502 | 503 };
  /** The socket is destroyed mid-request (the client sees a connection reset). */
  dropConnection?: FaultTrigger;
  /** Every job fails at this training step with error code "server_error". */
  failJobAtStep?: number;
  /** Delay after each training step (ms), so tests and demos can watch a job run. */
  stepDelayMs?: number;
  /** Seed for probabilistic faults (default 0). */
  seed?: number;
}

export type FaultAction = { kind: 'none' } | { kind: 'drop' } | { kind: 'error'; error: ApiError };

export class FaultInjector {
  readonly config: FaultConfig;
  private readonly random: () => number;
  private readonly seen = new Map<string, number>();

  constructor(config: FaultConfig = {}) {
    this.config = config;
    this.random = seededRandom(config.seed ?? 0);
  }

  /** Decide the fate of one request; called once per request, in arrival order. */
  decide(route: string): FaultAction {
    const { dropConnection, rateLimit, serverError } = this.config;
    if (dropConnection && this.fires('drop', dropConnection, route)) return { kind: 'drop' };
    if (rateLimit && this.fires('429', rateLimit, route)) {
      const seconds = rateLimit.retryAfterSeconds ?? 0.01;
      return {
        kind: 'error',
        error: new ApiError(429, 'Rate limit reached for requests (injected by the local provider). Please try again shortly.', {
          type: 'requests',
          code: 'rate_limit_exceeded',
          // retry-after-ms lets clients wait less than a second; retry-after is the standard header.
          headers: { 'retry-after': String(Math.max(1, Math.ceil(seconds))), 'retry-after-ms': String(Math.round(seconds * 1000)) },
        }),
      };
    }
    if (serverError && this.fires('5xx', serverError, route)) {
      const status = serverError.status ?? 500;
      return { kind: 'error', error: new ApiError(status, 'The server had an error while processing your request (injected by the local provider).', { code: 'server_error' }) };
    }
    return { kind: 'none' };
  }

  private fires(name: string, trigger: FaultTrigger, route: string): boolean {
    if (trigger.routes && !trigger.routes.includes(route)) return false;
    const count = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, count);
    if (trigger.first !== undefined && count <= trigger.first) return true;
    return trigger.probability !== undefined && this.random() < trigger.probability;
  }
}
