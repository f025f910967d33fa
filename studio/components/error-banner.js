// How a failed API call is shown: the server's message, its hint, and an optional way out.
import { html } from '../html.js';

export function ErrorBanner({ error, action }) {
  if (!error) return null;
  return html`<div class="error" role="alert" data-code=${error.code}>
    <strong>${error.message}</strong>
    ${error.hint && html`<div class="hint">${error.hint}</div>`}
    ${action}
  </div>`;
}
