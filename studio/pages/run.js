// Run: the DAG with each stage's last-run state, the training job's loss/accuracy curves and events.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { LineChart } from '../components/chart.js';
import { DagView } from '../components/dag-view.js';
import { ago, duration, stageTime } from '../format.js';

export function RunPage() {
  const [view, setView] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('/api/run').then(setView, setError);
  useEffect(() => void load(), []);
  if (error) return html`<${ErrorBanner} error=${error} />`;
  if (!view) return html`<p class="muted">loading…</p>`;
  if (!view.recipe) return html`<p class="muted">Start the studio with a recipe (ftpipe studio pipelines/x.yaml) to see its runs.</p>`;
  const m = view.metrics;
  const step = m?.step ?? [];
  const curves = (names) => names.filter((n) => m?.[n]?.some((v) => v !== null)).map((n) => ({ label: n, values: m[n] }));
  const loss = curves(['train_loss', 'valid_loss']);
  const accuracy = curves(['train_accuracy', 'valid_mean_token_accuracy']);
  return html`<section class="run">
    <div class="actions"><strong>${view.recipe.title}</strong>
      <span class="muted" data-testid="last-run">${view.run ? lastRunText(view.run) : 'never run'}</span>
      <button onClick=${load}>Refresh</button></div>
    ${view.run && html`<p class="run-summary" data-testid="run-summary">${runSummary(view.stages)}</p>`}
    <${DagView} stages=${view.stages} />
    <table class="stages"><tr><th>stage</th><th>uses</th><th>state</th><th>time</th><th>summary</th></tr>
      ${view.stages.map((s) => html`<tr><td>${s.id}</td><td>${s.uses}</td><td class=${`state ${s.last?.state ?? ''}`}>${s.last?.state ?? (s.locked ? 'in lock' : '—')}</td>
        <td class="num" title=${s.last?.producedAt ? `made ${new Date(s.last.producedAt).toLocaleString()}` : ''}>${stageTime(s.last)}</td><td>${s.last?.error ?? s.last?.summary ?? ''}</td></tr>`)}
    </table>
    <h3>Training${view.waitStage ? html` <span class="muted">(stage ${view.waitStage}${view.fineTunedModel ? ` → ${view.fineTunedModel}` : ''})</span>` : ''}</h3>
    ${!view.waitStage && html`<p class="muted">The recipe has no wait stage.</p>`}
    ${view.waitStage && !m && html`<p class="muted">No metrics yet (${view.metricsPath}).</p>`}
    <div class="charts">
      ${loss.length > 0 && html`<${LineChart} title="Loss" xLabel="step" x=${step} series=${loss} testId="loss-chart" />`}
      ${accuracy.length > 0 && html`<${LineChart} title="Accuracy" xLabel="step" x=${step} series=${accuracy} testId="accuracy-chart" />`}
    </div>
    ${view.events.length > 0 && html`<h3>Job events</h3><table class="events"><tr><th>time</th><th>level</th><th>message</th></tr>
      ${[...view.events].reverse().slice(0, 200).map((e) => html`<tr class=${e.level}><td>${time(e.createdAt ?? e.created_at)}</td><td>${e.level}</td><td>${e.message}</td></tr>`)}</table>`}
  </section>`;
}

function lastRunText(run) {
  const took = run.startedAt && run.finishedAt ? `, took ${duration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))}` : '';
  return run.finishedAt ? `last run finished ${ago(run.finishedAt)} (${new Date(run.finishedAt).toLocaleString()})${took}` : 'last run did not finish';
}

/** "5 stages: 3 ran, 1 cached, 1 failed · 9.9 s of work" */
function runSummary(stages) {
  const counts = new Map();
  for (const s of stages) if (s.last) counts.set(s.last.state, (counts.get(s.last.state) ?? 0) + 1);
  const work = stages.reduce((sum, s) => sum + (s.last?.state === 'ran' || s.last?.state === 'failed' ? (s.last.durationMs ?? 0) : 0), 0);
  const notRun = stages.filter((s) => !s.last).length;
  const parts = [...counts].map(([state, n]) => `${n} ${state}`);
  if (notRun) parts.push(`${notRun} not in the last run`);
  return `${stages.length} stages: ${parts.join(', ')}${work ? ` · ${duration(work)} of work` : ''}`;
}

function time(seconds) {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toLocaleString() : '';
}
