// Data: open a JSONL file of the workspace, page/search/filter its examples, edit them and save back.
// Edits live here until Save (keyed by line number), so paging and filtering never lose them.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, query } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { ExampleCard } from '../components/example-card.js';
import { DataToolbar } from './data-toolbar.js';
import { SaveAs, savedAsNotice } from './save-as.js';
import { RerunPanel } from './rerun.js';
import { SourceNote } from './source-note.js';

const PAGE_SIZE = 20;

export function DataPage({ info, params }) {
  const [typed, setTyped] = useState(params.get('file') ?? '');
  const [dataset, setDataset] = useState(null);
  const [filters, setFilters] = useState({});
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState(null);
  const [facets, setFacets] = useState(null);
  const [edits, setEdits] = useState(new Map());
  const [appended, setAppended] = useState([]);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [saved, setSaved] = useState(false);
  const [highlight, setHighlight] = useState(null);
  const [scrollTo, setScrollTo] = useState(null);

  const loadFacets = (id) => api(`/api/data/facets?id=${id}`).then(setFacets, () => {});
  // `line` (a deep link: #/data?file=data/x.jsonl&line=42) opens the page holding it, highlighted.
  const open = async (path, line) => {
    setError(null);
    setNotice(null);
    setSaved(false);
    try {
      const opened = await api('/api/data/open', { path });
      const record = line ? (await api(`/api/data/locate?${query({ id: opened.id, line })}`)).record : null;
      setDataset(opened);
      setTyped(opened.path);
      setEdits(new Map());
      setAppended([]);
      setFilters({});
      setOffset(record ? Math.floor((record - 1) / PAGE_SIZE) * PAGE_SIZE : 0);
      setHighlight(record);
      setScrollTo(record ? `line-${record}` : null);
      setFacets(null);
      loadFacets(opened.id);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    if (params.get('file')) open(params.get('file'), Number(params.get('line')) || null);
  }, [params.get('file'), params.get('line')]);
  useEffect(() => {
    if (!scrollTo || !page) return;
    const card = document.getElementById(scrollTo);
    if (card) {
      card.scrollIntoView({ block: 'center' });
      setScrollTo(null);
    }
  }, [scrollTo, page, appended]);
  useEffect(() => {
    if (!dataset) return;
    api(`/api/data/page?${query({ id: dataset.id, offset, limit: PAGE_SIZE, ...filters })}`).then(setPage, setError);
  }, [dataset, offset, filters]);

  const changes = edits.size + appended.length;
  const save = async () => {
    setError(null);
    const empty = [...edits.values(), ...appended].filter(isEmptyExample).length;
    if (empty > 0 && !confirm(`${empty === 1 ? 'An example has' : `${empty} examples have`} only empty messages: save ${empty === 1 ? 'it' : 'them'} anyway?`)) return;
    try {
      const body = { id: dataset.id, edits: [...edits].map(([line, example]) => ({ line, example })), append: appended };
      const saved = await api('/api/data/save', body);
      setNotice(`Saved ${changes} change${changes === 1 ? '' : 's'} to ${saved.path}`);
      setEdits(new Map());
      setAppended([]);
      setDataset(saved);
      setSaved(true);
      loadFacets(saved.id);
    } catch (e) {
      setError(e);
    }
  };
  const saveAs = async (path, pointRecipe) => {
    setError(null);
    try {
      const body = { id: dataset.id, edits: [...edits].map(([line, example]) => ({ line, example })), append: appended, path, pointRecipe };
      const saved = await api('/api/data/save-as', body);
      setNotice(savedAsNotice(saved, changes));
      setEdits(new Map());
      setAppended([]);
      setDataset(saved);
      setTyped(saved.path);
      setOffset(0);
      setSaved(true);
      loadFacets(saved.id);
    } catch (e) {
      setError(e);
    }
  };
  const edit = (line, example) => setEdits(new Map(edits).set(line, example));
  const restore = (line) => {
    const next = new Map(edits);
    next.delete(line);
    setEdits(next);
  };
  const addExample = () => {
    setAppended([...appended, { messages: [{ role: 'system', content: '' }, { role: 'user', content: '' }, { role: 'assistant', content: '' }] }]);
    setScrollTo(`new-${appended.length}`);
  };
  const readOnly = dataset?.access === 'source';

  return html`<section class="data">
    <div class="picker">
      <form onSubmit=${(e) => { e.preventDefault(); open(typed); }}>
        <input aria-label="file path" placeholder="path inside the workspace, e.g. data/train.jsonl" value=${typed} onInput=${(e) => setTyped(e.target.value)} />
        <button type="submit">Open</button>
      </form>
      <ul class="files">
        ${info.files.map((f) => html`<li><a href="#" onClick=${(e) => { e.preventDefault(); open(f.path); }}>${f.path}</a> <span class="muted">${f.source}${f.stage ? ` · ${f.stage}` : ''} · ${size(f.size)}</span></li>`)}
        ${info.files.length === 0 && html`<li class="muted">no JSONL files found in the recipe's inputs or outputs</li>`}
      </ul>
    </div>
    <${ErrorBanner} error=${error} action=${error?.status === 409 && html`<button onClick=${() => open(dataset.path)}>Reload file (drops your edits)</button>`} />
    ${notice && html`<div class="notice" role="status">${notice}</div>`}
    ${saved && info.recipe && html`<${RerunPanel} recipe=${info.recipe.name} />`}
    ${dataset && page && html`
      <${DataToolbar} dataset=${dataset} page=${page} facets=${facets} filters=${filters} pageSize=${PAGE_SIZE}
        onFilters=${(f) => { setFilters(f); setOffset(0); }} onOffset=${setOffset} />
      <div class="actions">
        ${dataset.access === 'edit' && html`<button class="primary" disabled=${changes === 0} onClick=${save}>Save${changes ? ` (${changes})` : ''}</button>`}
        ${!readOnly && html`<button onClick=${addExample}>+ example</button>`}
        <span class="muted">${dataset.path} · ${dataset.lines} ${readOnly ? 'records' : 'lines'} · ${dataset.encoding}${dataset.access === 'view' ? ' · stage output' : readOnly ? ' · read-only' : ''}</span>
      </div>
      ${readOnly && html`<${SourceNote} dataset=${dataset} />`}
      ${dataset.access === 'view' && html`<${SaveAs} key=${dataset.id} dataset=${dataset} changes=${changes} onSave=${saveAs} />`}
      ${page.rows.map((row) => {
        const edited = edits.has(row.line);
        const example = edited ? edits.get(row.line) : row.example;
        return html`<${ExampleCard} key=${`${dataset.id}:${dataset.fingerprint.sha256}:${row.line}`} row=${row} example=${example} edited=${edited}
          anchor=${`line-${row.line}`} highlighted=${row.line === highlight} readOnly=${readOnly}
          deleted=${edited && example === null} onChange=${(ex) => edit(row.line, ex)} onDelete=${() => edit(row.line, null)} onRestore=${() => restore(row.line)} />`;
      })}
      ${appended.map((example, i) => html`<${ExampleCard} key=${`new-${i}`} anchor=${`new-${i}`} row=${{ appended: true, tokens: null, label: null, findings: [] }} example=${example} edited=${true}
          onChange=${(ex) => setAppended(appended.map((e, j) => (j === i ? ex : e)))} onDelete=${() => setAppended(appended.filter((_, j) => j !== i))} />`)}
    `}
  </section>`;
}

/** An example whose messages all have blank text (what "+ example" starts with). */
function isEmptyExample(example) {
  return Array.isArray(example?.messages) && example.messages.every((m) => typeof m?.content !== 'string' || m.content.trim() === '');
}

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1 << 20 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1 << 20)).toFixed(1)} MB`;
}
