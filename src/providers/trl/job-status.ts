/**
 * A job's current status from its files: job.json (the adapter's state), exit.json (the supervisor's record of
 * how the process ended), events.jsonl (the driver's report) and whether the process group still lives. The
 * first time a job is seen ended, the ending is written into job.json, so it never has to be worked out again.
 * A process gone without an exit record (SIGKILL, OOM killer, reboot) is failed, never left running.
 */
import { readFile } from 'node:fs/promises';
import type { Job, JobError } from '../types.js';
import { readDriverEvents, type DriverEvent } from './job-events.js';
import type { JobState, TrlJobStore } from './job-store.js';
import { isAlive } from './process-state.js';
import { lastLines } from './python-env.js';

interface ExitRecord {
  exit_code: number;
  signal: string | null;
  error?: string;
  finished_at: number;
}

export async function refreshJob(store: TrlJobStore, state: JobState): Promise<JobState> {
  if (state.status === 'succeeded' || state.status === 'failed' || state.status === 'cancelled') return state;
  const pid = state.pid ?? (await readJson<{ pid: number }>(store.file(state.id, 'supervisor.json')))?.pid ?? null;
  const exit = await readJson<ExitRecord>(store.file(state.id, 'exit.json'));
  const events = await readDriverEvents(store.file(state.id, 'events.jsonl'));
  if (!exit && isAlive(pid, state.pid ? state.processStart : null)) return { ...state, pid, status: 'running' };
  // Ended: by the record the supervisor left, or without one.
  const done = events.find((e) => e.type === 'done');
  const ended: JobState = { ...state, pid, finishedAt: Math.floor(exit?.finished_at ?? Date.now() / 1000), exitCode: exit?.exit_code ?? null };
  if (state.cancelRequested) ended.status = 'cancelled';
  else if (exit && exit.exit_code === 0 && done) ended.status = 'succeeded';
  else {
    ended.status = 'failed';
    ended.error = await failureOf(store, state, exit, events);
  }
  await store.write(ended);
  return ended;
}

export function toJob(state: JobState, events: DriverEvent[], resultFile: string | null): Job {
  const done = events.find((e) => e.type === 'done');
  const checkpoints = events.filter((e) => e.type === 'checkpoint').map((e) => ({ step: e.step as number, path: e.path as string }));
  return {
    id: state.id,
    status: state.status,
    rawStatus: rawStatusOf(state, events),
    model: state.baseModel,
    fineTunedModel: state.status === 'succeeded' ? state.fineTunedModel : null,
    trainedTokens: typeof done?.trained_tokens === 'number' ? done.trained_tokens : null,
    createdAt: state.createdAt,
    finishedAt: state.finishedAt,
    error: state.error,
    resultFiles: state.status === 'succeeded' && resultFile ? [resultFile] : [],
    hyperparameters: state.hyperparameters,
    metadata: state.metadata,
    checkpoints,
    outputDir: done && typeof done.model_dir === 'string' ? done.model_dir : undefined,
  };
}

/** The driver's own error event when it wrote one (message + hint), else the exit and the stderr's last lines. */
async function failureOf(store: TrlJobStore, state: JobState, exit: ExitRecord | undefined, events: DriverEvent[]): Promise<JobError> {
  const error = [...events].reverse().find((e) => e.type === 'error');
  if (error) return { code: String(error.code ?? 'training_failed'), message: `${error.message}${error.hint ? ` (hint: ${error.hint})` : ''}`, param: null };
  const stderr = await readFile(store.file(state.id, 'stderr.log'), 'utf8').catch(() => '');
  const tail = lastLines(stderr, 8);
  if (!exit) {
    return { code: 'process_died', message: `the training process (pid ${state.pid ?? '?'}) ended without a final status (killed, or out of memory?)${tail ? `; last output:\n${tail}` : ''}`, param: null };
  }
  const how = exit.error ?? (exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.exit_code}`);
  return { code: 'training_failed', message: `the training process ${how}${tail ? `:\n${tail}` : ''}`, param: null };
}

function rawStatusOf(state: JobState, events: DriverEvent[]): string {
  if (state.status !== 'running' && state.status !== 'queued') return state.status;
  const last = [...events].reverse().find((e) => e.type !== 'rank');
  if (!last || last.type === 'start' || last.type === 'message') return 'loading';
  return 'running';
}


async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
