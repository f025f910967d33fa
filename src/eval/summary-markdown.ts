/** Renders the eval report as Markdown: scores, the base/fine-tuned difference, per-label scores, confusion, samples. */
import type { EvalReport } from './eval-report.js';
import type { ClassificationScores } from './classification.js';
import { fmt } from './thresholds.js';

const maxRows = 200;

export function renderSummaryMarkdown(report: EvalReport, headline: string): string {
  const out: string[] = [`# Eval: ${report.metric}`, '', `**${headline}** — ${report.samples} samples, ${report.requests.sent} requests sent, ${report.requests.cached} answered from the cache.`, ''];
  out.push(`| model | label | ${report.score_name} |`, '| --- | --- | ---: |');
  for (const m of report.models) out.push(`| ${cell(m.id)} | ${cell(m.label)} | ${fmt(m.score)} |`);
  out.push('');
  if (report.comparison) out.push(`Difference ${report.comparison.candidate} − ${report.comparison.base}: **${signedFixed(report.comparison.difference)}**`, '');
  if (report.thresholds) out.push(report.thresholds.passed ? 'Thresholds: passed.' : `Thresholds: **failed** — ${report.thresholds.failures.join('; ')}`, '');
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
    const predicted = [...new Set(Object.values(scores.confusion).flatMap((row) => Object.keys(row)))].sort();
    out.push('', `Confusion (rows: ideal, columns: ${model.label}'s answer)`, '', `| ideal \\ answer | ${predicted.map(cell).join(' | ')} |`, `| --- | ${predicted.map(() => '---:').join(' | ')} |`);
    for (const [ideal, row] of Object.entries(scores.confusion).sort(([a], [b]) => a.localeCompare(b))) out.push(`| ${cell(ideal)} | ${predicted.map((p) => row[p] ?? 0).join(' | ')} |`);
    out.push('');
  }
  return out;
}

function mark(score: number): string {
  return score >= 1 ? '✓' : score <= 0 ? '✗' : fmt(score);
}

function signedFixed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}

function lastUserText(input: unknown): string {
  if (!Array.isArray(input)) return String(input);
  const user = [...input].reverse().find((m) => m && m.role === 'user');
  return String(user?.content ?? '');
}

/** One table cell: one line, pipes escaped, long text cut. */
function cell(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}
