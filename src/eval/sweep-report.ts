/** The sweep's leaderboard: one row per (training cell, inference cell, model), best score first, with intervals, tokens and cost. */
import type { JsonValue } from '../stage/types.js';
import type { Cell } from './sweep-matrix.js';
import type { GraderUsage } from './evaluate-models.js';
import type { LatencySummary, UsageSummary } from './usage.js';
import { fmt } from './thresholds.js';

export interface LeaderboardRow {
  rank: number;
  model: string;
  label: string;
  training: Cell | null;
  inference: Cell;
  score: number | null;
  interval: [number, number] | null;
  usage: UsageSummary;
  latency: LatencySummary | null;
  metrics: Record<string, JsonValue>;
}

export function rankRows(rows: Array<Omit<LeaderboardRow, 'rank'>>): LeaderboardRow[] {
  // Stable: equal scores keep matrix order, so the simpler (earlier) cell wins a tie; no score ranks last.
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (b.row.score ?? -Infinity) - (a.row.score ?? -Infinity) || a.i - b.i)
    .map(({ row }, i) => ({ rank: i + 1, ...row }));
}

/** The cost of every cell and grader request, null when a price is unknown. */
export function sweepCost(rows: LeaderboardRow[], graders: GraderUsage[]): number | null {
  const costs = [...rows.map((r) => r.usage.cost_usd), ...graders.map((g) => g.usage.cost_usd)];
  if (costs.some((c) => c === null)) return null;
  return Math.round((costs as number[]).reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}

export function leaderboardMarkdown(input: { metric: string; scoreName: string; samples: number; rows: LeaderboardRow[]; requests: { sent: number; cached: number }; costUsd: number | null; confidence: number }): string {
  const cost = input.costUsd === null ? 'cost unknown (set param prices)' : `$${input.costUsd.toFixed(4)} in all`;
  const out = [`# Sweep: ${input.metric}`, '', `${input.samples} samples per cell; ${input.requests.sent} requests sent, ${input.requests.cached} answered from the cache; ${cost}.`, ''];
  out.push(`| rank | model | training | inference | ${input.scoreName} | ${Math.round(input.confidence * 100)}% interval | tokens in / out | cost (USD) |`, '| ---: | --- | --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of input.rows) {
    const interval = r.interval ? `${fmt(r.interval[0])} – ${fmt(r.interval[1])}` : '—';
    const price = r.usage.cost_usd === null ? 'unknown' : `$${r.usage.cost_usd.toFixed(4)}`;
    out.push(`| ${r.rank} | ${r.label} | ${r.training ? cellText(r.training) : '—'} | ${cellText(r.inference)} | ${fmt(r.score)} | ${interval} | ${r.usage.prompt_tokens} / ${r.usage.completion_tokens} | ${price} |`);
  }
  return out.join('\n') + '\n';
}

function cellText(cell: Cell): string {
  const keys = Object.keys(cell);
  return keys.length === 0 ? 'defaults' : keys.map((k) => `${k} ${JSON.stringify(cell[k])}`).join(', ');
}
