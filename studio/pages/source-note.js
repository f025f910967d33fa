// A ShareGPT JSON or CSV input of the recipe is shown read-only: where its examples are really edited.
import { html } from '../html.js';

export function SourceNote({ dataset }) {
  const readers = dataset.source.readBy;
  const kind = dataset.source.kind === 'csv' ? 'CSV rows (one per record, by column)' : 'ShareGPT records (as the recipe converts them into messages)';
  return html`<div class="source-note" role="note">
    <p><strong>Read-only:</strong> ${dataset.path} is a recipe input in ${dataset.source.kind === 'csv' ? 'CSV' : 'JSON'}, shown as ${kind}; lines are the file's own.</p>
    <p>To change these examples, edit <code>${dataset.path}</code> itself${readers.length > 0
      ? html`, or the params of the stage that converts it: ${readers.map((r, i) => html`${i > 0 ? ', ' : ''}<strong>${r.stage}</strong> (<code>uses: ${r.uses}</code>)`)} in the recipe`
      : ''}. To edit the converted examples instead, open that stage's output below and save them as a workspace file.</p>
  </div>`;
}
