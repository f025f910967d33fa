/**
 * Gets the one job that belongs to a stage key, creating it only when none exists: first the id an
 * interrupted run recorded in the stage state, then the provider's jobs tagged with the key (a crash
 * between create and the state write), then create (itself find-before-create against lost responses).
 */
import type { Job, JobSpec, Provider } from '../providers/types.js';
import type { StageState } from '../stage/types.js';

export interface AdoptedJob {
  job: Job;
  how: 'state' | 'metadata' | 'created';
}

export async function adoptOrCreateJob(provider: Provider, spec: JobSpec, options: { state: StageState; signal?: AbortSignal }): Promise<AdoptedJob> {
  const recorded = options.state.get<string>('job_id');
  if (recorded) {
    const job = await provider.getJob(recorded, { signal: options.signal }).catch(() => null);
    // A failed or cancelled job is not adopted: rerunning the stage means trying again.
    if (job && job.status !== 'failed' && job.status !== 'cancelled') return { job, how: 'state' };
  }
  const found = await provider.findJob(spec.idempotencyKey, { signal: options.signal });
  if (found) {
    await options.state.set('job_id', found.id);
    return { job: found, how: 'metadata' };
  }
  const job = await provider.createJob(spec, { signal: options.signal });
  await options.state.set('job_id', job.id);
  return { job, how: 'created' };
}
