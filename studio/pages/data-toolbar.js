// Search, filters (finding, label, token range) and paging for the Data page.
import { useState } from 'preact/hooks';
import { html } from '../html.js';

export function DataToolbar({ page, facets, filters, pageSize, onFilters, onOffset }) {
  const [draft, setDraft] = useState(filters);
  const set = (key, value) => setDraft({ ...draft, [key]: value === '' ? undefined : value });
  const apply = (e) => {
    e?.preventDefault();
    onFilters(draft);
  };
  const first = page.total === 0 ? 0 : page.offset + 1;
  const last = Math.min(page.total, page.offset + pageSize);
  return html`<form class="toolbar" onSubmit=${apply}>
    <input type="search" aria-label="search" placeholder="search text" value=${draft.q ?? ''} onInput=${(e) => set('q', e.target.value)} />
    <select aria-label="finding" value=${draft.finding ?? ''} onChange=${(e) => set('finding', e.target.value)}>
      <option value="">any or no finding</option>
      <option value="any">with a finding</option>
      ${Object.entries(facets?.findingKinds ?? {}).map(([kind, n]) => html`<option value=${kind}>${kind} (${n})</option>`)}
    </select>
    <select aria-label="label" value=${draft.label ?? '\u0000'} onChange=${(e) => set('label', e.target.value === '\u0000' ? '' : e.target.value)}>
      <option value="\u0000">any label</option>
      ${(facets?.labels ?? []).map((l) => html`<option value=${l.label}>${l.label.length > 50 ? `${l.label.slice(0, 49)}…` : l.label} (${l.count})</option>`)}
    </select>
    <input type="number" min="0" aria-label="min tokens" placeholder="min tokens" value=${draft.minTokens ?? ''} onInput=${(e) => set('minTokens', e.target.value)} />
    <input type="number" min="0" aria-label="max tokens" placeholder=${facets ? `max (${facets.maxTokens})` : 'max tokens'} value=${draft.maxTokens ?? ''} onInput=${(e) => set('maxTokens', e.target.value)} />
    <button type="submit">Filter</button>
    <span class="pager">
      <button type="button" disabled=${page.offset === 0} onClick=${() => onOffset(Math.max(0, page.offset - pageSize))}>‹ Prev</button>
      <span data-testid="page-range">${first}–${last} of ${page.total}</span>
      <button type="button" disabled=${last >= page.total} onClick=${() => onOffset(page.offset + pageSize)}>Next ›</button>
    </span>
  </form>`;
}
