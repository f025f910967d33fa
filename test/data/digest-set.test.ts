import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DigestSet } from '../../src/data/digest-set.js';

const md5 = (text: string) => createHash('md5').update(text).digest();

describe('DigestSet', () => {
  it('says "seen" exactly for repeats, across growth', () => {
    const set = new DigestSet(4);
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const key = `example-${i % 30_000}`; // the last 20,000 repeat earlier keys
      expect(set.addIfAbsent(md5(key))).toBe(seen.has(key));
      seen.add(key);
    }
    expect(set.size).toBe(30_000);
  });

  it('tells apart digests that share their first words', () => {
    const set = new DigestSet();
    const a = new Uint8Array(16);
    const b = new Uint8Array(16);
    b[11] = 1;
    expect(set.addIfAbsent(a)).toBe(false);
    expect(set.addIfAbsent(b)).toBe(false);
    expect(set.addIfAbsent(a)).toBe(true);
  });
});

describe('DigestSet values', () => {
  it('keeps the words given when a digest was first added, across growth', () => {
    const set = new DigestSet(4, 2);
    for (let i = 0; i < 10_000; i++) expect(set.findOrAdd(md5(`k${i}`), i, i * 2)).toBe(-1);
    for (let i = 0; i < 10_000; i += 7) {
      const slot = set.findOrAdd(md5(`k${i}`), 0, 0);
      expect([set.value(slot, 0), set.value(slot, 1)]).toEqual([i, i * 2]);
    }
    expect(set.lookup(md5('absent'))).toBe(-1);
    expect(set.size).toBe(10_000);
  });
});
