// After a Save: rerun the recipe (`ftpipe run` as a child of the studio) and follow it to the end.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';

const POLL_MS = 1000;

export function RerunPanel({ recipe }) {
  const [run, setRun] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (run?.state !== 'running') return undefined;
    const timer = setTimeout(() => api('/api/run/process').then(setRun, setError), POLL_MS);
    return () => clearTimeout(timer);
  }, [run]);
  const start = async () => {
    setError(null);
    try {
      setRun(await api('/api/run/start', {}));
    } catch (e) {
      setError(e);
    }
  };
  const running = run?.state === 'running';
  return html`<div class="rerun" role="region" aria-label="rerun the recipe">
    <button class="primary" disabled=${running} onClick=${start}>${running ? `Running ${recipe}…` : `Rerun ${recipe}`}</button>
    ${run && html`<span class=${`state ${run.state}`} data-testid="rerun-state">${stateText(run)}</span>`}
    <${ErrorBanner} error=${error} />
    ${run?.output && html`<pre class="run-output" data-testid="rerun-output">${run.output}</pre>`}
  </div>`;
}

function stateText(run) {
  if (run.state === 'running') return `running since ${new Date(run.startedAt).toLocaleTimeString()}`;
  const took = run.finishedAt && run.startedAt ? ` in ${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : '';
  return run.state === 'succeeded' ? `finished${took}` : `failed (exit code ${run.exitCode ?? '?'})${took}`;
}
