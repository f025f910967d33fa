/**
 * For `ftpipe plan`: where a trl job would train (asks the driver's preflight for CPUs and GPUs) and how long it
 * might take: the start-up and the throughput of the newest finished job of the same base model on this machine.
 * Without such a job there is no honest figure, and none is given.
 */
import { join } from 'node:path';
import type { TrainingOutlook } from '../adapter.js';
import type { ProviderConfig } from '../types.js';
import { resolveTrlConfig } from './block.js';
import { readDriverEvents } from './job-events.js';
import { baseModelFor } from './job-spec.js';
import { TrlJobStore } from './job-store.js';
import { choosePython, preflight } from './python-env.js';

export async function trainingOutlook(config: ProviderConfig, options: { workspace: string; env: NodeJS.ProcessEnv; tokens?: number; model?: string; signal?: AbortSignal }): Promise<TrainingOutlook> {
  const resolved = resolveTrlConfig(config, options.workspace);
  const outlook: TrainingOutlook = {};
  try {
    const report = await preflight(choosePython({ configured: resolved.python, env: options.env }), { env: options.env, devices: true, signal: options.signal });
    const d = report.devices;
    if (d) outlook.device = d.cuda && resolved.device !== 'cpu' ? `${d.gpu_count} × ${d.gpu_names[0] ?? 'GPU'}` : `cpu (${d.cpu_count} cores)`;
    else outlook.device = `unknown (${report.problems[0]?.message ?? 'preflight failed'})`;
  } catch (error) {
    outlook.device = `unknown (${(error as Error).message})`;
  }
  const base = baseModelFor(resolved, options.model ?? '');
  const jobs = new TrlJobStore(join(resolved.dataDir, 'jobs'));
  for (const job of await jobs.list()) {
    if (job.status !== 'succeeded' || job.baseModel !== base) continue;
    const done = (await readDriverEvents(jobs.file(job.id, 'events.jsonl'))).find((e) => e.type === 'done');
    const rate = typeof done?.tokens_per_second === 'number' ? done.tokens_per_second : undefined;
    const runtime = typeof done?.runtime_s === 'number' ? done.runtime_s : undefined;
    if (!rate || runtime === undefined || !options.tokens || job.finishedAt === null) break;
    // Start-up (imports, loading the model, preparing the data) plus the training loop at that job's speed.
    const startup = Math.max(0, job.finishedAt - job.createdAt - runtime);
    outlook.estimatedSeconds = Math.round(startup + options.tokens / rate);
    outlook.basis = `from job ${job.id} (${base}): ${Math.round(startup)}s start-up + ${Math.round(rate)} tokens/s`;
    break;
  }
  return outlook;
}
