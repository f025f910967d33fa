/** The sweep's leaderboard: one row per (training cell, inference cell, model), best score first. */
import type { JsonValue } from '../stage/types.js';
import type { Cell } from './sweep-matrix.js';
import { fmt } from './thresholds.js';

export interface LeaderboardRow {
  rank: number;
  model: string;
  label: string;
  training: Cell | null;
  inference: Cell;
  score: number;
  metrics: Record<string, JsonValue>;
}

export function rankRows(rows: Array<Omit<LeaderboardRow, 'rank'>>): LeaderboardRow[] {
  // Stable: equal scores keep matrix order, so the simpler (earlier) cell wins a tie.
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => b.row.score - a.row.score || a.i - b.i)
    .map(({ row }, i) => ({ rank: i + 1, ...row }));
}

export function leaderboardMarkdown(input: { metric: string; scoreName: string; samples: number; rows: LeaderboardRow[]; requests: { sent: number; cached: number } }): string {
  const out = [`# Sweep: ${input.metric}`, '', `${input.samples} samples per cell; ${input.requests.sent} requests sent, ${input.requests.cached} answered from the cache.`, ''];
  out.push(`| rank | model | training | inference | ${input.scoreName} |`, '| ---: | --- | --- | --- | ---: |');
  for (const r of input.rows) out.push(`| ${r.rank} | ${r.label} | ${r.training ? cellText(r.training) : '—'} | ${cellText(r.inference)} | ${fmt(r.score)} |`);
  return out.join('\n') + '\n';
}

function cellText(cell: Cell): string {
  const keys = Object.keys(cell);
  return keys.length === 0 ? 'defaults' : keys.map((k) => `${k} ${JSON.stringify(cell[k])}`).join(', ');
}
