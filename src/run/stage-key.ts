import { inputName } from '../lock/lockfile.js';
import { digestValue, hexOf } from '../store/digest.js';
import type { InputRecord } from '../store/run-cache.js';

/**
 * hash(type + implementation version + params + inputs + provider identity). Never a secret. Each input
 * is bound to its name (workspace path, or the upstream output it references): two inputs that swap
 * contents are a change, not a cache hit.
 */
export function stageKey(parts: { uses: string; version: number; keyParams: Record<string, unknown>; inputs: InputRecord[]; provider?: Record<string, unknown> }): string {
  const inputs = parts.inputs
    .map((i) => ({ param: i.param, name: inputName(i), digest: i.digest }))
    .sort((a, b) => compare(a.param, b.param) || compare(a.name, b.name) || compare(a.digest, b.digest));
  return hexOf(digestValue({ uses: parts.uses, version: parts.version, params: parts.keyParams, inputs, provider: parts.provider ?? null }));
}

/** The key before inputs were bound to their names (inputs as param + digest only); see decide's isLegacyKeyOf. */
export function legacyStageKey(parts: Parameters<typeof stageKey>[0]): string {
  const inputs = parts.inputs.map((i) => ({ param: i.param, digest: i.digest })).sort((a, b) => (a.param + a.digest).localeCompare(b.param + b.digest));
  return hexOf(digestValue({ uses: parts.uses, version: parts.version, params: parts.keyParams, inputs, provider: parts.provider ?? null }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
