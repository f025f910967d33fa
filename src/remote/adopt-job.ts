/**
 * Gets the one job that belongs to a stage key, creating it only when none exists: first the job the
 * stage state recorded, then the provider's lookup by idempotency key (a crash between create and the
 * state write), then create (itself find-before-create against lost responses). A failed or cancelled
 * job, or `--force` over a recorded job, starts the next attempt, which has its own idempotency key:
 * the old job can never be adopted again, and a kill during the new attempt still resumes it.
 * Where the provider cannot look jobs up (capabilities.jobLookup "none"), an interrupted create is
 * never repeated blindly: the user is asked to check, and `--force` confirms.
 */
import { FtpipeError } from '../errors.js';
import type { Job, JobSpec, Provider } from '../providers/types.js';
import type { StageState } from '../stage/types.js';
import { attemptKey, readJournal, writeJournal, type JobJournal } from './job-journal.js';
import { uncertainCreateError } from './job-lookup.js';

export interface AdoptedJob {
  job: Job;
  how: 'state' | 'lookup' | 'created';
  /** Jobs of earlier attempts of this stage key, oldest first (failed, cancelled or replaced by --force). */
  superseded: string[];
}

export interface AdoptOptions {
  state: StageState;
  signal?: AbortSignal;
  /** For messages: the stage (and sweep cell) the job belongs to. */
  stage?: string;
  /** The run was forced: `previousJobId` is the job the lock recorded for this key (replaced by a new one). */
  forced?: { previousJobId?: string; previousSuperseded?: string[] };
}

export async function adoptOrCreateJob(provider: Provider, spec: JobSpec, options: AdoptOptions): Promise<AdoptedJob> {
  const { state, signal } = options;
  let journal = readJournal(state);
  const lookup = provider.capabilities.jobLookup;
  const recorded = journal.jobId ? await readRecorded(provider, journal.jobId, signal) : undefined;
  const replace = replaceReason(journal, recorded, options.forced, lookup);
  if (replace) journal = await startAttempt(state, journal, replace, options.forced);
  else if (recorded) return { job: recorded, how: 'state', superseded: journal.superseded };

  const key = attemptKey(spec.idempotencyKey, journal.attempt);
  const attemptSpec: JobSpec = { ...spec, idempotencyKey: key };
  if (lookup !== 'none') {
    const found = await provider.findJob(key, { signal });
    if (found && !ended(found)) {
      await writeJournal(state, { jobId: found.id, creating: null });
      return { job: found, how: 'lookup', superseded: journal.superseded };
    }
  } else if (journal.creating?.key === key) {
    await writeJournal(state, { refused: key });
    throw uncertainCreateError({ provider: provider.identity.kind, since: journal.creating.at, stage: options.stage, interrupted: true });
  }
  const since = new Date().toISOString();
  await writeJournal(state, { creating: { key, at: since } });
  const job = await provider.createJob(attemptSpec, { signal }).catch(async (error) => {
    // The user is being told the outcome is unknown: a later --force confirms a new job.
    if (error instanceof FtpipeError && error.code === 'JOB_CREATE_UNCERTAIN') {
      await writeJournal(state, { refused: key });
      throw uncertainCreateError({ provider: provider.identity.kind, since, stage: options.stage, interrupted: false, cause: error.cause });
    }
    throw error;
  });
  await writeJournal(state, { jobId: job.id, creating: null });
  return { job, how: 'created', superseded: journal.superseded };
}

type Recorded = Job | null;

/** The recorded job, or null when the provider no longer has it (404). Other errors propagate: never create on a guess. */
async function readRecorded(provider: Provider, id: string, signal?: AbortSignal): Promise<Recorded> {
  try {
    return await provider.getJob(id, { signal });
  } catch (error) {
    if (!signal?.aborted && httpStatus(error) === 404) return null;
    throw error;
  }
}

/** Why the current attempt is over, if it is. */
function replaceReason(journal: JobJournal, recorded: Recorded | undefined, forced: AdoptOptions['forced'], lookup: string): { supersede?: string } | null {
  if (recorded === null) return { supersede: journal.jobId ?? undefined };
  if (recorded && ended(recorded)) return { supersede: recorded.id };
  if (!forced) return null;
  // --force replaces the job the lock recorded; a job made by an earlier forced run that never reached the lock is resumed.
  if (forced.previousJobId && (journal.jobId === forced.previousJobId || (journal.jobId === null && journal.creating === null))) return { supersede: forced.previousJobId };
  // The user was told that an interrupted create cannot be looked up; --force now confirms a new job.
  if (lookup === 'none' && journal.jobId === null && journal.creating && journal.refused === journal.creating.key) return {};
  return null;
}

async function startAttempt(state: StageState, journal: JobJournal, replace: { supersede?: string }, forced: AdoptOptions['forced']): Promise<JobJournal> {
  const history = [...new Set([...(forced?.previousSuperseded ?? []), ...journal.superseded])];
  const superseded = replace.supersede && !history.includes(replace.supersede) ? [...history, replace.supersede] : history;
  // After a lost state the lock's history says how many attempts came before.
  const attempt = Math.max(journal.attempt, superseded.length) + 1;
  // Order matters under kills: any prefix of these writes resumes safely.
  await writeJournal(state, { superseded });
  await writeJournal(state, { jobId: null, creating: null });
  await writeJournal(state, { attempt });
  return { ...journal, attempt, jobId: null, creating: null, superseded };
}

function ended(job: Job): boolean {
  return job.status === 'failed' || job.status === 'cancelled';
}

function httpStatus(error: unknown): number | undefined {
  for (let e = error as { status?: unknown; cause?: unknown } | undefined; e && typeof e === 'object'; e = e.cause as typeof e) {
    if (typeof e.status === 'number') return e.status;
  }
  return undefined;
}
