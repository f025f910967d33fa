// Playground: chat with the recipe's own models (listed first, the fine-tuned one preselected) or any
// other model of its provider; the system prompt starts as the recipe's; answers stream in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, apiStream } from '../api.js';
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
  const transcript = useRef(null);
  useEffect(() => {
    api('/api/models').then((r) => {
      setModels(r);
      setModel(r.preselected ?? r.recipeModels[0]?.id ?? r.models[0]?.id ?? '');
      if (r.systemPrompt) setSystem(r.systemPrompt);
    }, setError);
  }, []);
  // The newest message (and the answer as it streams in) stays in view.
  useEffect(() => {
    const box = transcript.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [messages, busy]);
  const send = async (e) => {
    e.preventDefault();
    if (!input.trim() || busy) return;
    const history = [...messages, { role: 'user', content: input }];
    const answer = (patch) => setMessages((current) => [...current.slice(0, history.length), { role: 'assistant', content: '', ...current[history.length], ...patch }]);
    setMessages([...history, { role: 'assistant', content: '', streaming: true }]);
    setInput('');
    setBusy(true);
    setError(null);
    try {
      const sent = system.trim() ? [{ role: 'system', content: system }, ...history] : history;
      let text = '';
      await apiStream('/api/chat/stream', { model, messages: sent, temperature: Number(temperature), max_tokens: Number(maxTokens) }, (event) => {
        if (event.delta !== undefined) answer({ content: (text += event.delta) });
        if (event.done) answer({ content: event.done.content, usage: event.done.usage, streaming: false });
      });
    } catch (err) {
      setError(err);
      setMessages((current) => (current[history.length]?.content ? current.map((m, i) => (i === history.length ? { ...m, streaming: false } : m)) : current.slice(0, history.length)));
    } finally {
      setBusy(false);
    }
  };
  const own = models?.recipeModels ?? [];
  const others = (models?.models ?? []).filter((m) => !own.some((o) => o.id === m.id));
  return html`<section class="playground">
    <aside class="settings">
      <label>Model <select aria-label="model" value=${model} onChange=${(e) => setModel(e.target.value)}>
        ${own.length > 0 && html`<optgroup label="this recipe">${own.map((m) => html`<option value=${m.id}>${m.id} — ${m.label}</option>`)}</optgroup>`}
        <optgroup label=${`other models${models?.provider ? ` of ${models.provider}` : ''}`}>${others.map((m) => html`<option value=${m.id}>${m.id}</option>`)}</optgroup>
      </select></label>
      <label>System prompt <textarea aria-label="system prompt" rows="5" value=${system} onInput=${(e) => setSystem(e.target.value)}></textarea></label>
      <label>Temperature <input type="number" aria-label="temperature" min="0" max="2" step="0.1" value=${temperature} onInput=${(e) => setTemperature(e.target.value)} /></label>
      <label>Max tokens <input type="number" aria-label="max tokens" min="1" value=${maxTokens} onInput=${(e) => setMaxTokens(e.target.value)} /></label>
      <button onClick=${() => setMessages([])}>Clear chat</button>
    </aside>
    <div class="chat">
      <${ErrorBanner} error=${error} />
      <div class="transcript" data-testid="transcript" ref=${transcript}>
        ${messages.length === 0 && html`<p class="muted">${models ? `Say something to ${model || 'a model'}.` : 'loading models…'}</p>`}
        ${messages.map((m) => html`<div class=${`bubble ${m.role}${m.streaming ? ' streaming' : ''}`}><div class="who">${m.role}${m.usage ? html` <span class="muted">${m.usage.promptTokens}+${m.usage.completionTokens} tokens</span>` : ''}</div><div class="text">${m.content}${m.streaming ? html`<span class="cursor">▍</span>` : ''}</div></div>`)}
      </div>
      <form class="composer" onSubmit=${send}>
        <textarea aria-label="message" rows="3" placeholder="message (Ctrl+Enter to send)" value=${input} onInput=${(e) => setInput(e.target.value)}
          onKeyDown=${(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e); }}></textarea>
        <button class="primary" type="submit" disabled=${busy || !model}>Send</button>
      </form>
    </div>
  </section>`;
}
