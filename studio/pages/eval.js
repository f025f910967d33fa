// Eval: base vs fine-tuned answers side by side, disagreements only on request, scores and confusion.
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
  const { models, scores, rows, confusion } = normalizeEvalReport(view.report);
  const shown = onlyDisagreements ? rows.filter((r) => disagrees(r, models)) : rows;
  return html`<section class="eval">
    <div class="stats">${models.map((m) => html`<div class="stat"><div class="value">${scoreText(scores[m])}</div><div class="muted">${m}</div></div>`)}</div>
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
