/**
 * A finished job's training metrics as the wait stage's CSV. Fireworks hands metrics out as a signed
 * URL (an SFT job's metricsFileSignedUrl; a DPO job's :getMetricsFileEndpoint), holding JSON lines or
 * CSV; a job without one gives a CSV with only its header.
 */
import type { ProviderCalls } from '../provider-calls.js';
import { fetchSigned, type FireworksRest } from './fireworks-rest.js';

export async function metricsCsvFrom(rest: FireworksRest, calls: ProviderCalls, jobName: string, signal?: AbortSignal): Promise<string> {
  const url = jobName.includes('/dpoJobs/')
    ? (await calls.read(`get the metrics of ${jobName}`, signal, () => rest.request<{ signedUrl?: string }>('GET', `v1/${jobName}:getMetricsFileEndpoint`, { signal }))).signedUrl
    : (await calls.read(`read job ${jobName}`, signal, () => rest.request<{ metricsFileSignedUrl?: string }>('GET', `v1/${jobName}`, { signal }))).metricsFileSignedUrl;
  if (!url) return 'step\n';
  const text = await calls.read(`download the metrics of ${jobName}`, signal, async () => {
    const response = await fetchSigned(rest, url, { signal });
    if (!response.ok) throw new Error(`metrics file: HTTP ${response.status}`);
    return response.text();
  });
  return text.trimStart().startsWith('{') ? jsonLinesAsCsv(text) : text;
}

export function jsonLinesAsCsv(text: string): string {
  const rows = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  const stepOf = (row: Record<string, unknown>) => row.step ?? row.global_step;
  const columns = ['step', ...new Set(rows.flatMap((r) => Object.keys(r)).filter((c) => c !== 'step' && c !== 'global_step'))];
  const cell = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(c === 'step' ? stepOf(r) : r[c])).join(','))].join('\n') + '\n';
}
