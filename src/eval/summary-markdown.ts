/** Renders the eval report as Markdown: scores with intervals, cost and latency, the base/fine-tuned difference, per-label scores, confusion, samples. */
import type { EvalReport } from './eval-report.js';
import type { Averages, ClassificationScores } from './classification.js';
import type { UsageSummary } from './usage.js';
import { fmt, signedFixed } from './thresholds.js';

const maxRows = 200;

export function renderSummaryMarkdown(report: EvalReport, headline: string): string {
  const pct = Math.round(report.bootstrap.confidence * 100);
  const out: string[] = [`# Eval: ${report.metric}`, '', `**${headline}** — ${report.samples} samples, ${report.requests.sent} requests sent, ${report.requests.cached} answered from the cache.`, ''];
  out.push(`| model | label | ${report.score_name} | ${pct}% interval | tokens in / out | cost (USD) | latency p50 / p95 |`, '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const m of report.models) {
    const interval = m.interval ? `${fmt(m.interval[0])} – ${fmt(m.interval[1])}` : '—';
    const latency = m.latency ? `${m.latency.p50_ms} / ${m.latency.p95_ms} ms` : '—';
    out.push(`| ${cell(m.id)} | ${cell(m.label)} | ${fmt(m.score)} | ${interval} | ${tokens(m.usage)} | ${cost(m.usage)} | ${latency} |`);
  }
  for (const g of report.graders) out.push(`| ${cell(g.model)} | (grader) | | | ${tokens(g.usage)} | ${cost(g.usage)} | ${g.latency ? `${g.latency.p50_ms} / ${g.latency.p95_ms} ms` : '—'} |`);
  out.push('', `Total cost: ${report.cost_usd === null ? 'unknown (no price for a model: set param prices)' : `$${report.cost_usd.toFixed(4)}`}. Intervals: seeded bootstrap, ${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed}.`, '');
  const c = report.comparison;
  if (c) out.push(`Difference ${c.candidate} − ${c.base}: **${signedFixed(c.difference)}**${c.interval ? ` (${pct}% interval ${signedFixed(c.interval[0])} … ${signedFixed(c.interval[1])}${c.interval[0] > 0 ? ', excludes 0' : ', includes 0'})` : ''}`, '');
  if (report.thresholds) out.push(report.thresholds.passed ? 'Thresholds: passed.' : `Thresholds: **failed** (${report.thresholds.failed.join(', ')}) — ${report.thresholds.failures.join('; ')}`, '');
  if (report.metric === 'classification') out.push(...classificationTables(report));
  const labels = report.models.map((m) => m.label);
  out.push('## Samples', '', `| line | input | ideal | ${labels.map(cell).join(' | ')} |`, `| ---: | --- | --- | ${labels.map(() => '---').join(' | ')} |`);
  for (const row of report.rows.slice(0, maxRows)) {
    const answers = labels.map((l) => `${mark(row.answers[l].score)} ${cell(row.answers[l].answer)}`);
    out.push(`| ${row.line} | ${cell(lastUserText(row.input))} | ${cell(Array.isArray(row.ideal) ? row.ideal.join(' / ') : row.ideal)} | ${answers.join(' | ')} |`);
  }
  if (report.rows.length > maxRows) out.push('', `(${report.rows.length - maxRows} more rows in report.json)`);
  return out.join('\n') + '\n';
}

function classificationTables(report: EvalReport): string[] {
  const out: string[] = [];
  for (const model of report.models) {
    const scores = model.metrics as unknown as ClassificationScores;
    if (!scores.labels) continue;
    out.push(`## ${model.label}: per label`, '', '| label | precision | recall | F1 | support |', '| --- | ---: | ---: | ---: | ---: |');
    for (const [label, s] of Object.entries(scores.labels)) out.push(`| ${cell(label)} | ${fmt(s.precision)} | ${fmt(s.recall)} | ${fmt(s.f1)} | ${s.support} |`);
    const average = (name: string, a: Averages | undefined) => (a ? [`| *${name} average* | ${fmt(a.precision)} | ${fmt(a.recall)} | ${fmt(a.f1)} | |`] : []);
    out.push(...average('macro', scores.macro), ...average('micro', scores.micro), ...average('weighted', scores.weighted));
    const predicted = [...new Set(Object.values(scores.confusion).flatMap((row) => Object.keys(row)))].sort();
    out.push('', `Confusion (rows: ideal, columns: ${model.label}'s answer)`, '', `| ideal \\ answer | ${predicted.map(cell).join(' | ')} |`, `| --- | ${predicted.map(() => '---:').join(' | ')} |`);
    for (const [ideal, row] of Object.entries(scores.confusion).sort(([a], [b]) => a.localeCompare(b))) out.push(`| ${cell(ideal)} | ${predicted.map((p) => row[p] ?? 0).join(' | ')} |`);
    out.push('');
  }
  return out;
}

function tokens(u: UsageSummary): string {
  return `${u.prompt_tokens.toLocaleString('en-US')} / ${u.completion_tokens.toLocaleString('en-US')}`;
}

function cost(u: UsageSummary): string {
  if (u.cost_usd === null) return 'unknown';
  return u.sent < u.requests ? `$${u.cost_usd.toFixed(4)} ($${u.cost_usd_sent!.toFixed(4)} this run)` : `$${u.cost_usd.toFixed(4)}`;
}

function mark(score: number | null): string {
  if (score === null) return '·';
  return score >= 1 ? '✓' : score <= 0 ? '✗' : fmt(score);
}

function lastUserText(input: unknown): string {
  if (!Array.isArray(input)) return String(input);
  const user = [...input].reverse().find((m) => m && m.role === 'user') ?? input[input.length - 1];
  return String(user?.content ?? '');
}

/** One table cell: one line, pipes escaped, long text cut. */
function cell(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}
