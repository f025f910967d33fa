/** The arithmetic of deterministic splits: a score per example and per-label validation thresholds. */
import { createHash } from 'node:crypto';
import { normalizedKey } from './example-keys.js';
import type { ChatExample } from './chat-example.js';

/**
 * The digest an example's side comes from: the seed and the example's normalized key (see
 * example-keys.ts), so the same example with its keys in another order, or differing only in case,
 * spacing or tool-call ids, always lands on the same side as its twin: no leakage through near-duplicates.
 */
export function splitDigest(seed: number | string, example: ChatExample): Buffer {
  return createHash('sha256').update(`${seed}\u0000${normalizedKey(example)}`).digest();
}

/** A uniform score in [0, 1) from a split digest. */
export function splitScore(digest: Buffer): number {
  // 48 bits are plenty of resolution and stay exact in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Per label, the highest score that still goes to validation: the k lowest scores, k = round(ratio × n)
 * (at least 1 when the label has 2+ examples and ratio > 0), or, with a count, the count spread over
 * labels in proportion. Equal scores (duplicates) share a side, so a side may get one or two extra.
 */
export function validationThresholds(scores: Map<string, number[]>, options: { ratio?: number; count?: number }): Map<string, number> {
  const total = [...scores.values()].reduce((n, list) => n + list.length, 0);
  const ratio = options.count !== undefined ? Math.min(1, options.count / Math.max(1, total)) : options.ratio!;
  const thresholds = new Map<string, number>();
  for (const [label, list] of scores) {
    let k = Math.round(ratio * list.length);
    if (k === 0 && ratio > 0 && list.length >= 2) k = 1;
    if (k >= list.length && list.length >= 2 && ratio < 1) k = list.length - 1;
    if (k === 0) continue;
    list.sort((a, b) => a - b);
    thresholds.set(label, list[k - 1]);
  }
  return thresholds;
}
