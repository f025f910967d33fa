/**
 * Run, restore or skip — decided like DVC, cheapest check first, always with the reason:
 * forced → run; found stale downstream → run; key and outputs match the lock → cached; run-cache has the key → restore; else run.
 */
import type { LockEntry } from '../lock/lockfile.js';
import { inputName } from '../lock/lockfile.js';
import { canonicalJson } from '../store/digest.js';
import type { OutputRecord, RunRecord } from '../store/run-cache.js';
import type { Workspace } from './workspace.js';

export type Decision =
  | { action: 'cached'; key: string; reasons: string[]; outputs: Record<string, OutputRecord> }
  | { action: 'restore'; key: string; reasons: string[]; outputs: Record<string, OutputRecord> }
  | { action: 'run'; key?: string; reasons: string[]; upToDateInLock?: boolean };

export interface Candidate {
  key: string;
  uses: string;
  version: number;
  keyParams: Record<string, unknown>;
  inputs: RunRecord['inputs'];
  provider?: Record<string, unknown>;
}

export function decide(candidate: Candidate, lock: LockEntry | undefined, ws: Workspace, forced: boolean): Decision {
  if (forced) return { action: 'run', key: candidate.key, reasons: ['forced with --force'] };
  // A downstream stage found this result unusable (see StageContext.invalidateInput): neither skip nor restore it.
  const stale = ws.invalidations.get(candidate.key);
  if (stale) return { action: 'run', key: candidate.key, reasons: [`${stale.reason} (found by ${stale.reportedBy})`] };
  if (lock && lock.key === candidate.key) {
    if (outputsPresent(lock.outputs, ws)) return { action: 'cached', key: candidate.key, reasons: ['up to date'], outputs: lock.outputs };
    const record = ws.runCache.get(candidate.key);
    if (record && outputsPresent(record.outputs, ws)) return { action: 'restore', key: candidate.key, reasons: ['outputs restored from the run-cache'], outputs: record.outputs };
    return { action: 'run', key: candidate.key, reasons: ['up to date in ftpipe.lock, but its outputs are not in the local store'], upToDateInLock: true };
  }
  const reasons = changeReasons(candidate, lock);
  const record = ws.runCache.get(candidate.key);
  if (record && outputsPresent(record.outputs, ws)) return { action: 'restore', key: candidate.key, reasons: [...reasons, 'an earlier run with these inputs is in the run-cache'], outputs: record.outputs };
  return { action: 'run', key: candidate.key, reasons };
}

export function outputsPresent(outputs: Record<string, OutputRecord>, ws: Workspace): boolean {
  return Object.values(outputs).every((o) => 'value' in o || ws.objects.has(o.digest, o.kind ?? 'file'));
}

/** Why the stage differs from its lock entry, most fundamental change first. */
export function changeReasons(c: Candidate, lock: LockEntry | undefined): string[] {
  if (!lock) return ['not in ftpipe.lock yet'];
  if (lock.uses !== c.uses) return [`stage type changed ${lock.uses}→${c.uses}`];
  const reasons: string[] = [];
  if (lock.version !== c.version) reasons.push(`stage version changed ${lock.version}→${c.version}`);
  for (const name of [...new Set([...Object.keys(lock.params ?? {}), ...Object.keys(c.keyParams)])].sort()) {
    const before = lock.params?.[name];
    const after = c.keyParams[name];
    if (canonicalJson(before) !== canonicalJson(after)) reasons.push(`param ${name} ${short(before)}→${short(after)}`);
  }
  const was = new Map(lock.inputs.map((i) => [inputName(i), i.digest]));
  const now = new Map(c.inputs.map((i) => [inputName(i), i.digest]));
  for (const [name, digest] of now) {
    if (!was.has(name)) reasons.push(`new input ${name}`);
    else if (was.get(name) !== digest) reasons.push(`input ${name} changed`);
  }
  for (const name of was.keys()) if (!now.has(name)) reasons.push(`input ${name} removed`);
  if (canonicalJson(lock.provider ?? null) !== canonicalJson(c.provider ?? null)) reasons.push(`provider changed ${short(lock.provider?.kind)}→${short(c.provider?.kind)}`);
  return reasons.length ? reasons : ['key changed'];
}

function short(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
