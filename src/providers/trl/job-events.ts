/**
 * The driver's events.jsonl (python/ftpipe_trl/events.py) → ftpipe's JobEvents and the metrics CSV. Only
 * complete lines are read: the driver may be writing the next one.
 */
import { readFile } from 'node:fs/promises';
import { METRICS_CSV_HEADER } from '../../local/jobs/metrics-csv.js';
import type { JobEvent } from '../types.js';

export interface DriverEvent {
  type: string;
  time?: number;
  [field: string]: unknown;
}

export async function readDriverEvents(path: string): Promise<DriverEvent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const events: DriverEvent[] = [];
  for (const line of complete.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as DriverEvent);
    } catch {
      // a line the driver never finished (killed mid-write) is skipped, not fatal
    }
  }
  return events;
}

export function toJobEvents(jobId: string, events: DriverEvent[]): JobEvent[] {
  return events.map((event, index) => {
    const base = { id: `${jobId}:${index + 1}`, createdAt: Math.floor(event.time ?? 0) };
    const step = typeof event.step === 'number' ? event.step : undefined;
    const total = typeof event.total_steps === 'number' ? event.total_steps : undefined;
    switch (event.type) {
      case 'log':
        return { ...base, level: 'info', type: 'metrics', message: `Step ${step}/${total}: training loss=${fmt(event.loss)}${event.mean_token_accuracy !== undefined ? `, token accuracy=${fmt(event.mean_token_accuracy)}` : ''}`, data: metricsData(event) };
      case 'eval':
        return { ...base, level: 'info', type: 'metrics', message: `Step ${step}/${total}: validation loss=${fmt(event.eval_loss)}`, data: metricsData(event) };
      case 'checkpoint':
        return { ...base, level: 'info', type: 'message', message: `Checkpoint at step ${step}: ${event.path}`, data: { step, path: event.path } };
      case 'train_begin':
        return { ...base, level: 'info', type: 'message', message: `Fine-tuning job started: ${total} steps`, data: { step: 0, total_steps: total } };
      case 'start':
        return { ...base, level: 'info', type: 'message', message: `Training ${event.base_model} (${event.method}, ${event.finetune}) on ${event.device}${event.device === 'cuda' ? ` ×${event.device_count}` : ''}, ${event.world_size} process(es)` };
      case 'rank':
        return { ...base, level: 'info', type: 'message', message: `rank ${event.rank} of ${event.world_size} started (pid ${event.pid})`, data: { rank: event.rank, world_size: event.world_size, pid: event.pid } };
      case 'done':
        return { ...base, level: 'info', type: 'message', message: `Training finished: ${event.steps} steps, ${event.trained_tokens} tokens in ${fmt(event.runtime_s)}s`, data: { ...event, type: undefined } };
      case 'error':
        return { ...base, level: 'error', type: 'message', message: `${event.code}: ${event.message}` };
      default:
        return { ...base, level: event.level === 'warn' ? 'warn' : 'info', type: 'message', message: String(event.message ?? event.type) };
    }
  });
}

/** One row per logged step, validation values joined in at their step: the columns every provider's CSV has. */
export function metricsCsv(events: DriverEvent[]): string {
  const rows = new Map<number, Record<string, unknown>>();
  for (const event of events) {
    if ((event.type !== 'log' && event.type !== 'eval') || typeof event.step !== 'number') continue;
    const row = rows.get(event.step) ?? {};
    if (event.type === 'log') Object.assign(row, { train_loss: event.loss, train_accuracy: event.mean_token_accuracy ?? event.reward_accuracy });
    else Object.assign(row, { valid_loss: event.eval_loss, valid_mean_token_accuracy: event.eval_mean_token_accuracy ?? event.eval_reward_accuracy });
    rows.set(event.step, row);
  }
  const cell = (v: unknown) => (typeof v === 'number' ? String(Math.round(v * 1e5) / 1e5) : '');
  const lines = [...rows].sort(([a], [b]) => a - b).map(([step, r]) => [step, cell(r.train_loss), cell(r.train_accuracy), cell(r.valid_loss), cell(r.valid_mean_token_accuracy)].join(','));
  return `${METRICS_CSV_HEADER}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

function metricsData(event: DriverEvent): Record<string, unknown> {
  const data: Record<string, unknown> = { step: event.step, total_steps: event.total_steps };
  const names: Record<string, string> = {
    loss: 'train_loss',
    mean_token_accuracy: 'train_mean_token_accuracy',
    eval_loss: 'valid_loss',
    eval_mean_token_accuracy: 'valid_mean_token_accuracy',
    learning_rate: 'learning_rate',
    epoch: 'epoch',
    grad_norm: 'grad_norm',
    reward_accuracy: 'train_reward_accuracy',
    reward_margin: 'train_reward_margin',
    eval_reward_accuracy: 'valid_reward_accuracy',
  };
  for (const [from, to] of Object.entries(names)) if (typeof event[from] === 'number') data[to] = event[from];
  return data;
}

function fmt(value: unknown): string {
  return typeof value === 'number' ? (Math.round(value * 1e4) / 1e4).toString() : '?';
}
