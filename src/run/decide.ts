/**
 * Run, restore or skip — decided like DVC, cheapest check first, always with the reason:
 * forced → run; found stale downstream → run; key and outputs match the lock → cached; run-cache has the key → restore; else run.
 */
import type { LockEntry } from '../lock/lockfile.js';
import { inputName } from '../lock/lockfile.js';
import { canonicalJson } from '../store/digest.js';
import type { OutputRecord, RunRecord } from '../store/run-cache.js';
import { describeChange } from './change-text.js';
import { CODE_INPUT } from './resolve-params.js';
import { legacyStageKey } from './stage-key.js';
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
  const legacy = lock !== undefined && lock.key !== candidate.key && isLegacyKeyOf(candidate, lock);
  if (lock && (lock.key === candidate.key || legacy)) {
    const upToDate = legacy ? 'up to date, but ftpipe.lock has the key an older ftpipe computed: `ftpipe run` rewrites it, nothing reruns' : 'up to date';
    if (outputsPresent(lock.outputs, ws)) return { action: 'cached', key: candidate.key, reasons: [upToDate], outputs: lock.outputs };
    const record = ws.runCache.get(candidate.key) ?? (legacy ? ws.runCache.get(lock.key) : undefined);
    if (record && outputsPresent(record.outputs, ws)) return { action: 'restore', key: candidate.key, reasons: ['outputs restored from the run-cache'], outputs: record.outputs };
    return { action: 'run', key: candidate.key, reasons: ['up to date in ftpipe.lock, but its outputs are not in the local store'], upToDateInLock: true };
  }
  const reasons = changeReasons(candidate, lock);
  const record = ws.runCache.get(candidate.key);
  if (record && outputsPresent(record.outputs, ws)) return { action: 'restore', key: candidate.key, reasons: [...reasons, 'an earlier run with these inputs is in the run-cache'], outputs: record.outputs };
  return { action: 'run', key: candidate.key, reasons };
}

/**
 * Keys written before inputs were bound to their names: still valid when the lock shows exactly the
 * candidate's name → digest pairs, so upgrading ftpipe never reruns (or pays for) an unchanged stage.
 */
function isLegacyKeyOf(candidate: Candidate, lock: LockEntry): boolean {
  if (lock.key !== legacyStageKey(candidate)) return false;
  const was = new Map(lock.inputs.map((i) => [`${i.param}\0${inputName(i)}`, i.digest]));
  return was.size === candidate.inputs.length && candidate.inputs.every((i) => was.get(`${i.param}\0${inputName(i)}`) === i.digest);
}

export function outputsPresent(outputs: Record<string, OutputRecord>, ws: Workspace): boolean {
  return Object.values(outputs).every((o) => 'value' in o || ws.objects.has(o.digest, o.kind ?? 'file'));
}

/** Why the stage differs from its lock entry, most fundamental change first. */
export function changeReasons(c: Candidate, lock: LockEntry | undefined): string[] {
  if (!lock) return ['not in ftpipe.lock yet'];
  const reasons = differences(c, lock);
  return reasons.length ? reasons : ['key changed'];
}

/** Every difference between the candidate and its lock entry (none when only the key differs). */
export function differences(c: Candidate, lock: LockEntry): string[] {
  if (lock.uses !== c.uses) return [`stage type changed ${lock.uses}→${c.uses}`];
  const version = lock.version !== c.version ? [`stage version changed ${lock.version}→${c.version}`] : [];
  const params = fieldChanges('param', lock.params ?? {}, c.keyParams);
  const code: string[] = [];
  const inputs: string[] = [];
  const was = new Map(lock.inputs.map((i) => [inputName(i), i]));
  const now = new Map(c.inputs.map((i) => [inputName(i), i]));
  for (const [name, input] of now) {
    const before = was.get(name);
    const isCode = input.param === CODE_INPUT;
    if (!before) (isCode ? code : inputs).push(isCode ? `stage code changed (${name} is new)` : `new input ${name}`);
    else if (before.digest !== input.digest) (isCode ? code : inputs).push(isCode ? `stage code changed (${name})` : `input ${name} changed`);
  }
  for (const [name, input] of was) {
    if (now.has(name)) continue;
    if (input.param === CODE_INPUT) code.push(`stage code changed (${name} no longer imported)`);
    else inputs.push(`input ${name} removed`);
  }
  return [...version, ...code, ...params, ...inputs, ...fieldChanges('provider', lock.provider ?? {}, c.provider ?? {})];
}

/** One reason per key whose value differs: `param n_epochs 3→5`, `provider base_url a→b`. */
function fieldChanges(what: string, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((name) => canonicalJson(before[name]) !== canonicalJson(after[name])).map((name) => `${what} ${name} ${describeChange(before[name], after[name])}`);
}
