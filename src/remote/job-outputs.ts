/**
 * The files a finished job leaves behind, as the wait stage publishes them: the metrics CSV (the
 * provider's result file, decoded; or, where a server has none, rebuilt from metrics events) and
 * every event as JSONL, oldest first.
 */
import { writeFile } from 'node:fs/promises';
import { JsonlWriter } from '../data/jsonl-writer.js';
import type { Job, JobEvent, Provider } from '../providers/types.js';

export async function writeMetrics(provider: Provider, job: Job, events: JobEvent[], path: string, signal?: AbortSignal): Promise<'result-file' | 'events'> {
  if (job.resultFiles.length > 0) {
    // Adapters decode base64 result files (OpenAI) and pass plain CSV through.
    await writeFile(path, await provider.fileContent(job.resultFiles[0], { signal }));
    return 'result-file';
  }
  await writeFile(path, metricsCsvFromEvents(events));
  return 'events';
}

export function metricsCsvFromEvents(events: JobEvent[]): string {
  const rows = events.filter((e) => e.type === 'metrics' && e.data).map((e) => e.data as Record<string, unknown>);
  const columns = ['step', ...new Set(rows.flatMap((row) => Object.keys(row)).filter((c) => c !== 'step' && c !== 'total_steps'))];
  const cell = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? String(value) : '');
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\n') + '\n';
}

export async function writeEvents(events: JobEvent[], path: string): Promise<void> {
  const writer = new JsonlWriter(path);
  for (const event of events) await writer.write(event);
  await writer.close();
}
