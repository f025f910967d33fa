import { describe, expect, it } from 'vitest';
import { fuzzyMatches, includesIdeal, normalizeAnswer, pythonSplit, pythonStrip, startsWithIdeal, tokenF1 } from '../../src/eval/portable-text.js';
import { completionMatchesJson, parsePythonJson, pythonJsonMatch } from '../../src/eval/portable-json.js';
import { parseLabels, sameLabelSet } from '../../src/eval/labels.js';
import { classificationScores } from '../../src/eval/classification.js';

describe('match / includes (openai/evals basic)', () => {
  it('match: the completion starts with the ideal, or with one of a list', () => {
    expect(startsWithIdeal('Paris is the capital', ['Paris'])).toBe(true);
    expect(startsWithIdeal('The capital is Paris', ['Paris'])).toBe(false);
    expect(startsWithIdeal('lyon', ['Paris', 'lyon'])).toBe(true);
    expect(startsWithIdeal(' Paris', ['Paris'])).toBe(false);
  });
  it('includes: anywhere, case-sensitive unless ignore_case', () => {
    expect(includesIdeal('The capital is Paris.', ['Paris'], false)).toBe(true);
    expect(includesIdeal('the capital is paris', ['Paris'], false)).toBe(false);
    expect(includesIdeal('the capital is paris', ['Paris'], true)).toBe(true);
    expect(includesIdeal('no', ['yes', 'maybe'], false)).toBe(false);
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
    expect(tokenF1('Paris, France', ['Paris'])).toBeCloseTo(2 / 3);
    expect(tokenF1('Paris, France', ['Lyon', 'France Paris'])).toBe(1);
    expect(tokenF1('Lyon', ['Paris'])).toBe(0);
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
    expect(pythonJsonMatch(parsePythonJson('{"a": null}'), parsePythonJson('{"a": null}'))).toBe(false);
    expect(pythonJsonMatch(null, null)).toBe(false);
  });
});

// Each case below is checked against openai/evals' Python code (github.com/openai/evals, release 3.0.1):
// evals/elsuite/utils.py normalize() / fuzzy_match() and evals/elsuite/basic/json_match.py json_match()
// with json.loads; the expected values are what CPython 3.11 returns for the same call.
describe('openai/evals edge cases (Python semantics)', () => {
  it('utils.py normalize(): re.sub(r"\b(a|an|the)\b") has Unicode word boundaries', () => {
    // Python: normalize("niña") == "niña" (ñ is \w), so fuzzy_match("niña", "niño") is False.
    expect(normalizeAnswer('niña')).toBe('niña');
    expect(fuzzyMatches('niña', 'niño')).toBe(false);
    // Python: normalize("Ça a été") == "ça été"; normalize("the_a") == "thea" (underscore is punctuation, dropped first).
    expect(normalizeAnswer('Ça a été')).toBe('ça été');
    expect(normalizeAnswer('the_a')).toBe('thea');
    expect(normalizeAnswer('東京 the 大阪')).toBe('東京 大阪');
  });
  it('utils.py normalize(): " ".join(s.split()) uses Python\'s whitespace set', () => {
    // Python: "a\x1cb\x85c".split() == ["a", "b", "c"]; "x\ufeffy".split() == ["x\ufeffy"] (BOM is not whitespace).
    expect(pythonSplit('a\x1cb\x85c')).toEqual(['a', 'b', 'c']);
    expect(pythonSplit('x\ufeffy')).toEqual(['x\ufeffy']);
    expect(normalizeAnswer('Paris\x1cFrance')).toBe('paris france');
    expect(fuzzyMatches('\ufeffParis', 'paris')).toBe(true); // "\ufeffparis" contains "paris"
    expect(fuzzyMatches('\ufeff', '')).toBe(false); // normalize("\ufeff") == "\ufeff", not ""
    expect(pythonStrip('\x85 Y \x1f')).toBe('Y');
    expect(pythonStrip('\ufeffY')).toBe('\ufeffY');
  });
  it('json_match.py json_match(): Python equality — True == 1, False == 0, 1 == 1.0, -0 == 0.0', () => {
    expect(completionMatchesJson('{"ok": true}', ['{"ok": 1}'])).toBe(true);
    expect(completionMatchesJson('{"ok": false}', ['{"ok": 0.0}'])).toBe(true);
    expect(completionMatchesJson('[1.0, 2]', ['[1, 2.0]'])).toBe(true);
    expect(completionMatchesJson('-0', ['0.0'])).toBe(true);
    expect(completionMatchesJson('1E2', ['100'])).toBe(true);
    expect(completionMatchesJson('true', ['"true"'])).toBe(false);
    expect(completionMatchesJson('1', ['"1"'])).toBe(false);
  });
  it('json_match.py: integers beyond 2^53 compare exactly (json.loads gives Python ints)', () => {
    // Python: json.loads("9007199254740993") == json.loads("9007199254740992") is False.
    expect(completionMatchesJson('9007199254740993', ['9007199254740992'])).toBe(false);
    expect(completionMatchesJson('9007199254740993', ['9007199254740993'])).toBe(true);
    // ...and an int equals a float only when exactly equal: 9007199254740993 == 9007199254740992.0 is False.
    expect(completionMatchesJson('9007199254740993', ['9007199254740992.0'])).toBe(false);
    expect(completionMatchesJson('{"id": 123456789012345678901234567890}', ['{"id": 123456789012345678901234567890}'])).toBe(true);
  });
  it('json_match.py: NaN / Infinity are JSON to json.loads — scored per sample, NaN never equals itself', () => {
    expect(parsePythonJson('NaN')).toBeNaN();
    expect(completionMatchesJson('NaN', ['NaN'])).toBe(false); // float("nan") == float("nan") is False
    expect(completionMatchesJson('Infinity', ['Infinity'])).toBe(true);
    expect(completionMatchesJson('{"x": -Infinity}', ['{"x": -Infinity}'])).toBe(true);
    expect(completionMatchesJson('Infinity', ['-Infinity'])).toBe(false);
  });
  it('json_match.py: prototype keys are plain dict keys', () => {
    expect(completionMatchesJson('{"__proto__": {"a": 1}}', ['{"__proto__": {"a": 1}}'])).toBe(true);
    expect(completionMatchesJson('{}', ['{"__proto__": 1}'])).toBe(false);
    expect(completionMatchesJson('{}', ['{"__proto__": {}}'])).toBe(false); // sample.get("__proto__") is None
    expect(completionMatchesJson('{}', ['{"constructor": 1}'])).toBe(false);
    expect(completionMatchesJson('{"toString": 1}', ['{}'])).toBe(false);
    expect(completionMatchesJson('{"hasOwnProperty": 2}', ['{"hasOwnProperty": 2}'])).toBe(true);
  });
  it('json.loads grammar: what Python rejects never matches', () => {
    for (const text of ['{"a": 1,}', "{'a': 1}", '01', '.5', '+1', '\ufeff{}', '"tab\there"', '{"a" 1}', '[1] x', '']) expect(parsePythonJson(text), text).toBeUndefined();
    expect(parsePythonJson(' [1, {"a": "\\u00e9"}] ')).toEqual([1n, new Map([['a', 'é']])]);
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
