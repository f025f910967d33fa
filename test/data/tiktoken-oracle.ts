/**
 * The differential suite against tiktoken's own core (the npm `tiktoken` package: the Rust core compiled
 * to WASM): seeded random strings over the pre-tokenizer's edge alphabet, an adversarial list and long
 * unbroken pieces must count exactly as encode_ordinary does. One test file per encoding, so the two
 * run in parallel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { get_encoding } from 'tiktoken';
import { TokenCounter, sharedRanks, type EncodingName } from '../../src/data/tokens.js';
import { adversarialStrings, edgeStrings, longPieces } from './tokenizer-edge-cases.js';

const RANDOM_STRINGS = 100_000;

export function describeDifferential(encoding: EncodingName, seed: number): void {
  describe(`token counts equal tiktoken's core (${encoding})`, () => {
    const oracle = get_encoding(encoding);
    afterAll(() => oracle.free());
    const counter = new TokenCounter(encoding, sharedRanks(encoding));
    const differences = (texts: Iterable<string>) => {
      const found: Array<{ text: string; ours: number; core: number }> = [];
      let compared = 0;
      for (const text of texts) {
        compared++;
        const ours = counter.count(text);
        const core = oracle.encode_ordinary(text).length;
        if (ours !== core && found.length < 10) found.push({ text, ours, core });
      }
      return { compared, found };
    };

    it('on the adversarial list', () => {
      expect(differences(adversarialStrings()).found).toEqual([]);
    });

    it('on long unbroken pieces (the merge heap)', () => {
      const { compared, found } = differences(longPieces(seed));
      expect(found).toEqual([]);
      expect(compared).toBeGreaterThan(20);
    });

    it(`on ${RANDOM_STRINGS.toLocaleString('en-US')} seeded random strings over the edge alphabet`, () => {
      const { compared, found } = differences(edgeStrings(RANDOM_STRINGS, seed));
      expect(found).toEqual([]);
      expect(compared).toBe(RANDOM_STRINGS);
      expect(counter.stats.regexPieces).toBeGreaterThan(RANDOM_STRINGS); // the Unicode path was exercised, not only the ASCII one
    });
  });
}
