// Eval: base vs fine-tuned answers side by side, disagreements (different verdicts) on request, scores
// with their bootstrap intervals, the difference, per-label precision / recall / F1 and confusion.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { disagrees, normalizeEvalReport, textOf } from './eval-report.js';

export function EvalPage() {
  const [view, setView] = useState(null);
  const [error, setError] = useState(null);
  const [onlyDisagreements, setOnlyDisagreements] = useState(false);
  useEffect(() => void api('/api/eval').then(setView, setError), []);
  if (error) return html`<${ErrorBanner} error=${error} />`;
  if (!view) return html`<p class="muted">loading…</p>`;
  if (!view.report) return html`<p class="muted">${view.stage ? `No eval report yet: run the recipe so stage "${view.stage}" writes ${view.reportPath}.` : 'The recipe has no eval stage.'}</p>`;
  const { models, scores, intervals, usage, rows, confusion, labelTables, comparison, confidence } = normalizeEvalReport(view.report);
  const shown = onlyDisagreements ? rows.filter((r) => disagrees(r, models)) : rows;
  const pct = `${Math.round(confidence * 100)}%`;
  return html`<section class="eval">
    <div class="stats">
      ${models.map((m) => html`<div class="stat" data-testid=${`stat-${m}`}><div class="value">${scoreText(scores[m])}</div><div class="muted">${m}</div>${intervals[m] && html`<div class="muted interval">${pct} interval ${intervalText(intervals[m])}</div>`}${usage[m] && html`<div class="muted usage">${usageText(usage[m])}</div>`}</div>`)}
      ${comparison && html`<div class="stat" data-testid="difference"><div class="value">${signed(comparison.difference)}</div><div class="muted">${comparison.candidate} − ${comparison.base}</div>${Array.isArray(comparison.interval) && html`<div class="muted interval">${pct} interval ${comparison.interval.map(signed).join(' … ')}${comparison.interval[0] > 0 ? ' (excludes 0)' : ' (includes 0)'}</div>`}</div>`}
    </div>
    ${labelTables.length > 0 && html`<div class="confusions">${labelTables.map((t) => html`<${LabelTable} ...${t} />`)}</div>`}
    ${confusion.length > 0 && html`<div class="confusions">${confusion.map((c) => html`<${Confusion} ...${c} />`)}</div>`}
    <div class="actions">
      <label><input type="checkbox" checked=${onlyDisagreements} onChange=${(e) => setOnlyDisagreements(e.target.checked)} /> only disagreements</label>
      <span class="muted">${shown.length} of ${rows.length} samples</span>
    </div>
    <table class="samples">
      <tr><th>#</th><th>input</th><th>ideal</th>${models.map((m) => html`<th>${m}</th>`)}</tr>
      ${shown.slice(0, 500).map((r) => html`<tr>
        <td class="num">${r.id}</td><td><pre>${r.input}</pre></td><td><pre>${r.ideal}</pre></td>
        ${models.map((m) => html`<td class=${verdictClass(r.verdicts[m])}><pre>${textOf(r.answers[m])}</pre></td>`)}
      </tr>`)}
    </table>
  </section>`;
}

function Confusion({ model, labels, matrix }) {
  const max = Math.max(1, ...matrix.flat());
  return html`<table class="confusion"><caption>${model} (rows: ideal, columns: answer)</caption>
    <tr><th></th>${labels.map((l) => html`<th>${l}</th>`)}</tr>
    ${matrix.map((row, i) => html`<tr><th>${labels[i]}</th>${row.map((n, j) => html`<td class="num" style=${`background: rgba(${i === j ? '22,163,74' : '220,38,38'},${n / max / 1.5})`}>${n}</td>`)}</tr>`)}
  </table>`;
}

function LabelTable({ model, rows, averages }) {
  return html`<table class="labels" data-testid=${`labels-${model}`}><caption>${model}: per label</caption>
    <tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>
    ${rows.map((r) => html`<tr><td>${r.label}</td><td class="num">${fixed(r.precision)}</td><td class="num">${fixed(r.recall)}</td><td class="num">${fixed(r.f1)}</td><td class="num">${r.support}</td></tr>`)}
    ${averages.map((a) => html`<tr class="average"><td><em>${a.name} average</em></td><td class="num">${fixed(a.precision)}</td><td class="num">${fixed(a.recall)}</td><td class="num">${fixed(a.f1)}</td><td></td></tr>`)}
  </table>`;
}

function fixed(n) {
  return typeof n === 'number' ? n.toFixed(2) : '—';
}

function signed(n) {
  return `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}

/** "1,234 + 56 tokens · $0.0012 · p50 380 ms" from a model's usage and latency. */
function usageText(u) {
  const tokens = `${u.prompt_tokens.toLocaleString('en-US')} + ${u.completion_tokens.toLocaleString('en-US')} tokens`;
  const cost = u.cost_usd === null || u.cost_usd === undefined ? 'cost unknown' : `$${u.cost_usd.toFixed(4)}`;
  return [tokens, cost, u.latency ? `p50 ${u.latency.p50_ms} ms` : null].filter(Boolean).join(' · ');
}

function intervalText([low, high]) {
  return `${fixed(low)} – ${fixed(high)}`;
}

function scoreText(score) {
  if (typeof score === 'number') return numberText(score);
  if (score && typeof score === 'object') return Object.entries(score).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${numberText(v)}`).join(' · ');
  return '—';
}

/** Scores in [0, 1] as percentages; counts (samples, requests) as whole numbers. */
function numberText(value) {
  if (Number.isInteger(value) && value > 1) return String(value);
  return value <= 1 ? `${(value * 100).toFixed(1)}%` : value.toFixed(2);
}

function verdictClass(verdict) {
  if (verdict === true || verdict === 1 || verdict?.pass === true || verdict?.correct === true) return 'pass';
  if (verdict === false || verdict === 0 || verdict?.pass === false || verdict?.correct === false) return 'fail';
  return '';
}
