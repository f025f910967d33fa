// Playground: chat with any model of the recipe's provider, the fine-tuned one preselected.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';

export function PlaygroundPage() {
  const [models, setModels] = useState(null);
  const [model, setModel] = useState('');
  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState('0');
  const [maxTokens, setMaxTokens] = useState('256');
  const [messages, setMessages] = useState([]);
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('/api/models').then((r) => {
      setModels(r.models);
      setModel(r.preselected ?? r.models[0]?.id ?? '');
    }, setError);
  }, []);
  const send = async (e) => {
    e.preventDefault();
    if (!input.trim() || busy) return;
    const history = [...messages, { role: 'user', content: input }];
    setMessages(history);
    setInput('');
    setBusy(true);
    setError(null);
    try {
      const sent = system.trim() ? [{ role: 'system', content: system }, ...history] : history;
      const reply = await api('/api/chat', { model, messages: sent, temperature: Number(temperature), max_tokens: Number(maxTokens) });
      setMessages([...history, { role: 'assistant', content: reply.content, usage: reply.usage }]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="playground">
    <aside class="settings">
      <label>Model <select aria-label="model" value=${model} onChange=${(e) => setModel(e.target.value)}>
        ${(models ?? []).map((m) => html`<option value=${m.id}>${m.id}</option>`)}
      </select></label>
      <label>System prompt <textarea aria-label="system prompt" rows="5" value=${system} onInput=${(e) => setSystem(e.target.value)}></textarea></label>
      <label>Temperature <input type="number" aria-label="temperature" min="0" max="2" step="0.1" value=${temperature} onInput=${(e) => setTemperature(e.target.value)} /></label>
      <label>Max tokens <input type="number" aria-label="max tokens" min="1" value=${maxTokens} onInput=${(e) => setMaxTokens(e.target.value)} /></label>
      <button onClick=${() => setMessages([])}>Clear chat</button>
    </aside>
    <div class="chat">
      <${ErrorBanner} error=${error} />
      <div class="transcript" data-testid="transcript">
        ${messages.length === 0 && html`<p class="muted">${models ? `Say something to ${model || 'a model'}.` : 'loading models…'}</p>`}
        ${messages.map((m) => html`<div class=${`bubble ${m.role}`}><div class="who">${m.role}${m.usage ? html` <span class="muted">${m.usage.promptTokens}+${m.usage.completionTokens} tokens</span>` : ''}</div><div class="text">${m.content}</div></div>`)}
        ${busy && html`<div class="bubble assistant muted">…</div>`}
      </div>
      <form class="composer" onSubmit=${send}>
        <textarea aria-label="message" rows="3" placeholder="message (Ctrl+Enter to send)" value=${input} onInput=${(e) => setInput(e.target.value)}
          onKeyDown=${(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e); }}></textarea>
        <button class="primary" type="submit" disabled=${busy || !model}>Send</button>
      </form>
    </div>
  </section>`;
}
