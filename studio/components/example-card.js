// One example of a dataset, editable: every message's role and content, add/delete messages, delete
// the example. Lines that are not valid JSON are edited as raw text.
import { useState } from 'preact/hooks';
import { html } from '../html.js';

const ROLES = ['system', 'user', 'assistant', 'developer', 'tool'];

export function ExampleCard({ row, example, edited, deleted, readOnly, anchor, highlighted, onChange, onDelete, onRestore }) {
  const cls = `card${highlighted ? ' highlighted' : ''}`;
  const title = html`<div class="card-head">
    <span class="line">${row.appended ? 'new' : `line ${row.sourceLine ?? row.line}`}</span>
    ${row.tokens !== null && html`<span class="tokens" title="cookbook token count">${row.tokens} tokens</span>`}
    ${row.label !== null && html`<span class="label" title="last assistant message">${truncate(row.label, 40)}</span>`}
    ${row.findings?.map((f) => html`<span class=${`finding ${f.severity}`} title=${f.message}>${f.kind}</span>`)}
    ${edited && html`<span class="edited">edited</span>`}
    <span class="spacer"></span>
    ${readOnly ? '' : deleted ? html`<button onClick=${onRestore}>Restore</button>` : html`<button class="danger" onClick=${onDelete}>Delete example</button>`}
  </div>`;
  if (deleted) return html`<article class="card deleted" id=${anchor}>${title}</article>`;
  if (!example || !Array.isArray(example.messages)) return html`<article class=${cls} id=${anchor}>${title}<${RawEditor} row=${row} example=${example} readOnly=${readOnly} onChange=${onChange} /></article>`;
  const setMessage = (i, patch) => onChange({ ...example, messages: example.messages.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const removeMessage = (i) => onChange({ ...example, messages: example.messages.filter((_, j) => j !== i) });
  const addMessage = () => {
    const last = example.messages[example.messages.length - 1];
    onChange({ ...example, messages: [...example.messages, { role: last?.role === 'user' ? 'assistant' : 'user', content: '' }] });
  };
  return html`<article class=${cls} id=${anchor}>
    ${title}
    ${example.messages.map(
      (m, i) => html`<div class=${`message ${m.role}`}>
        <select aria-label="role" disabled=${readOnly} value=${m.role} onChange=${(e) => setMessage(i, { role: e.target.value })}>
          ${[...new Set([...ROLES, m.role])].map((r) => html`<option value=${r}>${r}</option>`)}
        </select>
        ${typeof m.content === 'string' || m.content === null || m.content === undefined
          ? html`<textarea aria-label=${`${m.role} message`} rows=${Math.min(12, Math.max(1, Math.ceil(String(m.content ?? '').length / 90)))} readOnly=${readOnly} value=${m.content ?? ''} onInput=${(e) => setMessage(i, { content: e.target.value })}></textarea>`
          : html`<pre class="json">${JSON.stringify(m.content, null, 2)}</pre>`}
        ${!readOnly && html`<button class="icon" title="delete message" onClick=${() => removeMessage(i)}>✕</button>`}
      </div>`,
    )}
    ${!readOnly && html`<button class="small" onClick=${addMessage}>+ message</button>`}
  </article>`;
}

function RawEditor({ row, example, readOnly, onChange }) {
  const [text, setText] = useState(example !== null && example !== undefined ? JSON.stringify(example) : row.text);
  const [problem, setProblem] = useState(row.parseError);
  const commit = () => {
    try {
      onChange(JSON.parse(text));
      setProblem(null);
    } catch (error) {
      setProblem(error.message);
    }
  };
  return html`<div class="raw">
    ${problem && html`<div class="finding error">${problem}</div>`}
    <textarea aria-label="raw JSON" rows="4" readOnly=${readOnly} value=${text} onInput=${(e) => setText(e.target.value)} onBlur=${commit}></textarea>
  </div>`;
}

function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
