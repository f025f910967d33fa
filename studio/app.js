// The studio shell: a nav with the five pages, routed by the URL hash (#/data, #/run, …).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { DataPage } from './pages/data.js';
import { ValidationPage } from './pages/validation.js';
import { RunPage } from './pages/run.js';
import { EvalPage } from './pages/eval.js';
import { PlaygroundPage } from './pages/playground.js';

const PAGES = [
  { id: 'data', title: 'Data', component: DataPage },
  { id: 'validation', title: 'Validation', component: ValidationPage },
  { id: 'run', title: 'Run', component: RunPage },
  { id: 'eval', title: 'Eval', component: EvalPage },
  { id: 'playground', title: 'Playground', component: PlaygroundPage },
];

function currentRoute() {
  const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('?');
  return { page: PAGES.some((p) => p.id === page) ? page : 'data', params: new URLSearchParams(rest.join('?')) };
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [info, setInfo] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    api('/api/info').then(setInfo, setError);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const Page = PAGES.find((p) => p.id === route.page).component;
  return html`
    <header class="top">
      <span class="brand">ftpipe studio</span>
      <nav>${PAGES.map((p) => html`<a href="#/${p.id}" class=${p.id === route.page ? 'active' : ''}>${p.title}</a>`)}</nav>
      <span class="recipe">${info?.recipe ? info.recipe.name : info ? 'no recipe' : ''}</span>
    </header>
    <main>
      ${error && html`<div class="error">${error.message}</div>`}
      ${info && html`<${Page} info=${info} params=${route.params} />`}
    </main>`;
}

render(html`<${App} />`, document.getElementById('app'));
