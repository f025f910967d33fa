/**
 * Tokens, cost and latency of a model's answers, for reports: `cost_usd` is what the answers cost
 * (as if none were cached: what the eval costs to run), `cost_usd_sent` what this run paid for the
 * requests it actually sent. Latency is the provider's answer time as recorded when it was asked.
 */
import type { ChatAnswer } from './cached-chat.js';
import { costUsd, type TokenPrice } from './inference-prices.js';

export interface UsageSummary {
  requests: number;
  sent: number;
  cached: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** Answers whose provider reported no token usage (not in the token counts or the cost). */
  without_usage: number;
  cost_usd: number | null;
  cost_usd_sent: number | null;
}

export interface LatencySummary {
  mean_ms: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

export class UsageTally {
  private readonly answers: Array<Pick<ChatAnswer, 'usage' | 'cached' | 'latencyMs'>> = [];

  add(answer: Pick<ChatAnswer, 'usage' | 'cached' | 'latencyMs'>): void {
    this.answers.push(answer);
  }

  summary(price: TokenPrice | null): UsageSummary {
    const tokens = (list: typeof this.answers) => ({
      prompt: list.reduce((n, a) => n + (a.usage?.promptTokens ?? 0), 0),
      completion: list.reduce((n, a) => n + (a.usage?.completionTokens ?? 0), 0),
    });
    const all = tokens(this.answers);
    const sent = this.answers.filter((a) => !a.cached);
    return {
      requests: this.answers.length,
      sent: sent.length,
      cached: this.answers.length - sent.length,
      prompt_tokens: all.prompt,
      completion_tokens: all.completion,
      without_usage: this.answers.filter((a) => !a.usage).length,
      cost_usd: costUsd(all, price),
      cost_usd_sent: costUsd(tokens(sent), price),
    };
  }

  latency(): LatencySummary | null {
    return latencySummary(this.answers.map((a) => a.latencyMs).filter((ms): ms is number => ms !== undefined));
  }
}

export function latencySummary(values: number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { mean_ms: Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length), p50_ms: at(0.5), p95_ms: at(0.95), max_ms: sorted[sorted.length - 1] };
}
