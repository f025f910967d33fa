// Editing a stage output (.ftpipe/out/…): the next run would replace it, so edits are saved as a new
// workspace file, and the recipe can be pointed at that file instead of the stage's output.
import { useState } from 'preact/hooks';
import { html } from '../html.js';

export function SaveAs({ dataset, changes, onSave }) {
  const suggested = `data/${dataset.producer ? `${dataset.producer.stage}-${dataset.producer.output}` : dataset.path.split('/').pop().replace(/\.jsonl$/i, '')}-edited.jsonl`;
  const [path, setPath] = useState(suggested);
  const [point, setPoint] = useState(Boolean(dataset.producer));
  const reference = dataset.producer && `\${{ stages.${dataset.producer.stage}.outputs.${dataset.producer.output} }}`;
  return html`<div class="save-as" role="region" aria-label="save as a workspace file">
    <p class="muted">This is the latest output of ${dataset.producer ? html`stage <strong>${dataset.producer.stage}</strong>` : 'a stage'}: the next run replaces it, so it is not edited in place. Save your edits as a workspace file instead.</p>
    <form class="actions" onSubmit=${(e) => { e.preventDefault(); onSave(path, point); }}>
      <input aria-label="new file" value=${path} onInput=${(e) => setPath(e.target.value)} size="40" />
      ${reference && html`<label><input type="checkbox" checked=${point} onChange=${(e) => setPoint(e.target.checked)} /> and use it in the recipe instead of <code>${reference}</code></label>`}
      <button class="primary" type="submit">Save as workspace file${changes ? ` (${changes})` : ''}</button>
    </form>
  </div>`;
}

export function savedAsNotice(saved, changes) {
  const where = saved.pointed.length > 0 ? `; ${saved.recipe} now reads it in ${saved.pointed.map((p) => `${p.stage} (line ${p.line})`).join(', ')} instead of ${saved.replaced}` : '';
  return `Saved ${changes} change${changes === 1 ? '' : 's'} as ${saved.path}${where}`;
}
