import { describe, expect, it } from 'vitest';
import { fuzzyMatches, includesIdeal, normalizeAnswer, startsWithIdeal, tokenF1 } from '../../src/eval/text-match.js';
import { completionMatchesJson, jsonValuesMatch } from '../../src/eval/json-match.js';
import { parseLabels, sameLabelSet } from '../../src/eval/labels.js';
import { classificationScores } from '../../src/eval/classification.js';

describe('match / includes (openai/evals basic)', () => {
  it('match: the completion starts with the ideal, or with one of a list', () => {
    expect(startsWithIdeal('Paris is the capital', 'Paris')).toBe(true);
    expect(startsWithIdeal('The capital is Paris', 'Paris')).toBe(false);
    expect(startsWithIdeal('lyon', ['Paris', 'lyon'])).toBe(true);
    expect(startsWithIdeal(' Paris', 'Paris')).toBe(false);
  });
  it('includes: anywhere, case-sensitive unless ignore_case', () => {
    expect(includesIdeal('The capital is Paris.', 'Paris')).toBe(true);
    expect(includesIdeal('the capital is paris', 'Paris')).toBe(false);
    expect(includesIdeal('the capital is paris', 'Paris', { ignoreCase: true })).toBe(true);
    expect(includesIdeal('no', ['yes', 'maybe'])).toBe(false);
  });
});

describe('fuzzy_match', () => {
  it('normalises: lowercase, punctuation, articles, whitespace', () => {
    expect(normalizeAnswer('  The  Quick, brown FOX!  ')).toBe('quick brown fox');
    expect(normalizeAnswer('An apple a day')).toBe('apple day');
    // Articles only as whole words.
    expect(normalizeAnswer('Theater and Anna')).toBe('theater and anna');
  });
  it('matches when either normalised text contains the other', () => {
    expect(fuzzyMatches('The answer is: Paris.', 'paris')).toBe(true);
    expect(fuzzyMatches('Paris', 'It is Paris, France')).toBe(true);
    expect(fuzzyMatches('Lyon', 'Paris')).toBe(false);
    expect(fuzzyMatches('...', 'the')).toBe(true); // both normalise to ""
    expect(fuzzyMatches('', 'Paris')).toBe(false);
  });
  it('token F1, best over the ideals', () => {
    // prediction "paris france" vs "paris": P=1/2, R=1 → F1=2/3
    expect(tokenF1('Paris, France', 'Paris')).toBeCloseTo(2 / 3);
    expect(tokenF1('Paris, France', ['Lyon', 'France Paris'])).toBe(1);
    expect(tokenF1('Lyon', 'Paris')).toBe(0);
  });
});

describe('json_match', () => {
  it('compares parsed values; key order and whitespace do not matter', () => {
    expect(completionMatchesJson('{"b": [1, 2], "a": "x"}', ['{"a":"x","b":[1,2]}'])).toBe(true);
    expect(completionMatchesJson('{"a": "x"}', ['{"a":"x","b":1}'])).toBe(false);
    expect(completionMatchesJson('[1,2]', ['[2,1]'])).toBe(false);
    expect(completionMatchesJson('{"a": 1}', ['{"a": 2}', '{"a": 1.0}'])).toBe(true);
  });
  it('invalid JSON never matches; null counts as missing', () => {
    expect(completionMatchesJson('{"a": 1', ['{"a": 1}'])).toBe(false);
    expect(completionMatchesJson('Sure! {"a": 1}', ['{"a": 1}'])).toBe(false);
    expect(jsonValuesMatch({ a: null }, { a: null })).toBe(false);
    expect(jsonValuesMatch(null, null)).toBe(false);
  });
});

describe('classification labels', () => {
  it('reads the three multi-label notations and plain text', () => {
    expect(parseLabels("['proxy', 'transit']")).toEqual(['proxy', 'transit']);
    expect(parseLabels("'proxy','transit'")).toEqual(['proxy', 'transit']);
    expect(parseLabels('["proxy","transit"]')).toEqual(['proxy', 'transit']);
    expect(parseLabels("'transit'")).toEqual(['transit']);
    expect(parseLabels('transit')).toEqual(['transit']);
    expect(parseLabels('proxy, transit')).toEqual(['proxy', 'transit']);
    expect(parseLabels("['it\\'s']")).toEqual(["it's"]);
    expect(parseLabels('')).toEqual([]);
  });
  it('multi-label answers are correct when the sets are equal, in any notation and order', () => {
    expect(sameLabelSet(parseLabels("['transit', 'proxy']"), parseLabels("'proxy','transit'"))).toBe(true);
    expect(sameLabelSet(parseLabels('["proxy"]'), parseLabels("'proxy','transit'"))).toBe(false);
  });
  it('accuracy, per-label P/R/F1 and confusion on a hand-computed case', () => {
    // ideal → predicted
    const pairs = [
      { ideal: ['a'], predicted: ['a'] }, // exact
      { ideal: ['a'], predicted: ['b'] }, // a: fn, b: fp
      { ideal: ['b'], predicted: ['b'] }, // exact
      { ideal: ['a', 'b'], predicted: ['a'] }, // a: tp, b: fn
      { ideal: ['c'], predicted: ['a', 'c'] }, // c: tp, a: fp
    ];
    const s = classificationScores(pairs);
    expect(s.accuracy).toBeCloseTo(2 / 5);
    // a: tp 2 (1,4), fp 1 (5), fn 1 (2) → P 2/3, R 2/3
    expect(s.labels.a.precision).toBeCloseTo(2 / 3);
    expect(s.labels.a.recall).toBeCloseTo(2 / 3);
    expect(s.labels.a.support).toBe(3);
    // b: tp 1 (3), fp 1 (2), fn 1 (4) → P 1/2, R 1/2, F1 1/2
    expect(s.labels.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    // c: tp 1, fp 0, fn 0
    expect(s.labels.c).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(s.macro.f1).toBeCloseTo((2 / 3 + 0.5 + 1) / 3);
    expect(s.confusion).toEqual({ a: { a: 1, b: 1 }, b: { b: 1 }, 'a,b': { a: 1 }, c: { 'a,c': 1 } });
  });
});
