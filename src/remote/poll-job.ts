/**
 * Follows a job until it ends: polls with a growing interval (jittered, so many waiting pipelines do
 * not poll in step) that drops back to the base while the job is reporting progress, and hands each
 * new event to the caller. Abort stops following; the job itself keeps running.
 */
import { FtpipeError } from '../errors.js';
import { isTerminal } from '../providers/job-mapping.js';
import type { Job, JobEvent, Provider } from '../providers/types.js';
import { abortableSleep } from './abortable-sleep.js';

export interface PollSchedule {
  baseMs: number;
  maxMs: number;
  /** Stop waiting after this long (the job keeps running). */
  timeoutMs?: number;
}

export function nextPollDelay(previousMs: number, schedule: PollSchedule, sawProgress: boolean, random: () => number = Math.random): number {
  const grown = sawProgress ? schedule.baseMs : Math.min(schedule.maxMs, previousMs * 1.5);
  // ±20% jitter, never past the cap.
  return Math.min(schedule.maxMs, Math.round(grown * (0.8 + random() * 0.4)));
}

export async function followJob(
  provider: Provider,
  jobId: string,
  options: { schedule: PollSchedule; signal?: AbortSignal; onEvent?: (event: JobEvent) => void; onStatus?: (job: Job) => void },
): Promise<Job> {
  const started = Date.now();
  let lastEventId: string | undefined;
  let delay = options.schedule.baseMs;
  let lastRaw = '';
  for (;;) {
    const job = await provider.getJob(jobId, { signal: options.signal });
    const events = await provider.listEvents(jobId, { after: lastEventId, signal: options.signal });
    for (const event of events) options.onEvent?.(event);
    if (events.length) lastEventId = events[events.length - 1].id;
    if (job.rawStatus !== lastRaw) options.onStatus?.(job);
    const sawProgress = events.length > 0 || job.rawStatus !== lastRaw;
    lastRaw = job.rawStatus;
    if (isTerminal(job.status)) return job;
    if (options.schedule.timeoutMs !== undefined && Date.now() - started >= options.schedule.timeoutMs) {
      throw new FtpipeError(`stopped waiting for job ${jobId} after ${Math.round(options.schedule.timeoutMs / 1000)}s; it is still ${job.rawStatus}`, 'WAIT_TIMEOUT', {
        hint: 'the job keeps running on the provider; run again to reattach to it, or raise timeout',
      });
    }
    delay = nextPollDelay(delay, options.schedule, sawProgress);
    await abortableSleep(delay, options.signal);
  }
}

/** "90s", "30m", "2h", or a number of seconds. */
export function parseDuration(value: number | string, where: string): number {
  if (typeof value === 'number' && value > 0) return value * 1000;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim()) : null;
  if (!match) throw new FtpipeError(`${where}: "${value}" is not a duration`, 'PARAM_INVALID', { hint: 'use seconds (3600) or a number with a unit: 90s, 30m, 2h' });
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}
