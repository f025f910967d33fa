// Validation: the validate stage's report — counts, token histograms, over-limit examples, findings.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Histogram } from '../components/chart.js';

export function ValidationPage() {
  const [view, setView] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => void api('/api/validation').then(setView, setError), []);
  if (error) return html`<${ErrorBanner} error=${error} />`;
  if (!view) return html`<p class="muted">loading…</p>`;
  if (!view.report) return html`<p class="muted">${view.stage ? `No report yet: run the recipe so stage "${view.stage}" writes ${view.reportPath}.` : 'The recipe has no validate stage.'}</p>`;
  const r = view.report;
  const dataFile = (f) => `#/data?file=${encodeURIComponent(f)}`;
  return html`<section class="validation">
    <div class="stats">
      ${stat('examples', r.n_examples)} ${stat('valid', r.n_valid)} ${stat('model', r.model)} ${stat('encoding', r.encoding)}
      ${stat('over the limit', r.counts?.over_limit ?? r.over_limit?.length)} ${stat('epochs', r.epochs && `${r.epochs.n_epochs} (${r.epochs.source})`)}
      ${stat('billed tokens', r.billing?.billed_tokens?.toLocaleString())} ${stat('estimated cost', r.billing?.estimated_cost_usd == null ? 'unknown' : `$${r.billing.estimated_cost_usd.toFixed(2)}`)}
    </div>
    <div class="charts">
      <${Histogram} title="Total tokens per example" bins=${r.histograms?.total_tokens?.bins} testId="hist-total" />
      <${Histogram} title="Assistant tokens per example" bins=${r.histograms?.assistant_tokens?.bins} testId="hist-assistant" />
    </div>
    ${r.distributions && html`<h3>Distributions</h3><table>
      <tr><th></th><th>min</th><th>p5</th><th>median</th><th>mean</th><th>p95</th><th>max</th></tr>
      ${Object.entries(r.distributions).map(([name, d]) => html`<tr><td>${name}</td>${['min', 'p5', 'median', 'mean', 'p95', 'max'].map((k) => html`<td class="num">${round(d[k])}</td>`)}</tr>`)}
    </table>`}
    <h3>Over the ${r.training_example_limit ?? ''}-token limit</h3>
    ${r.over_limit?.length ? html`<table><tr><th>file</th><th>line</th><th>tokens</th></tr>
      ${r.over_limit.map((o) => html`<tr><td>${o.file ?? ''}</td><td class="num">${o.line}</td><td class="num">${o.tokens}</td></tr>`)}</table>` : html`<p class="muted">none</p>`}
    <h3>Findings ${r.finding_counts && html`<span class="muted">${Object.entries(r.finding_counts).map(([k, n]) => `${k}: ${n}`).join(' · ')}</span>`}</h3>
    ${r.findings?.length ? html`<table><tr><th>severity</th><th>kind</th><th>where</th><th>message</th></tr>
      ${r.findings.slice(0, 300).map((f) => html`<tr class=${f.severity}><td>${f.severity}</td><td>${f.kind}</td><td>${basename(f.file)}:${f.line}</td><td>${f.message}</td></tr>`)}</table>` : html`<p class="muted">no findings</p>`}
    <p class="muted">Open the validated file on the <a href=${dataFile('')}>Data</a> page and filter by finding to edit those lines.</p>
  </section>`;
}

function stat(label, value) {
  return html`<div class="stat"><div class="value">${value ?? '—'}</div><div class="muted">${label}</div></div>`;
}

function round(n) {
  return typeof n === 'number' ? (Number.isInteger(n) ? n : n.toFixed(1)) : '';
}

function basename(path) {
  return String(path ?? '').split(/[\\/]/).pop();
}
