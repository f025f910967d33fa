/**
 * What a training stage remembers about its jobs, in the stage state (written before each remote call,
 * so a kill at any moment leaves enough to resume without paying twice):
 * - attempt: which job of this stage key is current (1 = the first; a failed job or --force starts the next);
 * - job_id: the current attempt's job, once it is known;
 * - creating: a create for this idempotency key may be in flight (its response not yet recorded);
 * - refused: the create the user was already told ftpipe cannot look up (job lookup "none");
 * - superseded: the jobs of earlier attempts, oldest first.
 */
import type { JsonValue, StageState } from '../stage/types.js';

export interface JobJournal {
  attempt: number;
  jobId: string | null;
  creating: { key: string; at: string } | null;
  refused: string | null;
  superseded: string[];
}

export function readJournal(state: StageState): JobJournal {
  const creating = state.get<{ key: string; at: string }>('creating');
  return {
    attempt: state.get<number>('attempt') ?? 1,
    jobId: state.get<string>('job_id') ?? null,
    creating: creating && typeof creating.key === 'string' ? creating : null,
    refused: state.get<string>('refused') ?? null,
    superseded: state.get<string[]>('superseded') ?? [],
  };
}

/** Written field by field (each set is atomic); callers order the writes so that any prefix is a safe state. */
export async function writeJournal(state: StageState, changes: Partial<JobJournal>): Promise<void> {
  const fields: Record<string, JsonValue | undefined> = {
    attempt: changes.attempt,
    superseded: changes.superseded,
    job_id: changes.jobId,
    creating: changes.creating,
    refused: changes.refused,
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) await state.set(key, value);
}

/** The idempotency key of attempt n: the stage key itself for the first job (as before attempts existed). */
export function attemptKey(stageKey: string, attempt: number): string {
  return attempt <= 1 ? stageKey : `${stageKey}#${attempt}`;
}
