import { digestValue, hexOf } from '../store/digest.js';
import type { InputRecord } from '../store/run-cache.js';

/** hash(type + implementation version + params + input digests + provider identity). Never a secret. */
export function stageKey(parts: { uses: string; version: number; keyParams: Record<string, unknown>; inputs: InputRecord[]; provider?: Record<string, unknown> }): string {
  const inputs = parts.inputs.map((i) => ({ param: i.param, digest: i.digest })).sort((a, b) => (a.param + a.digest).localeCompare(b.param + b.digest));
  return hexOf(digestValue({ uses: parts.uses, version: parts.version, params: parts.keyParams, inputs, provider: parts.provider ?? null }));
}
