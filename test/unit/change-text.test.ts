import { describe, expect, it } from 'vitest';
import { describeChange } from '../../src/run/change-text.js';

describe('describeChange', () => {
  it('shows short values whole', () => {
    expect(describeChange(3, 5)).toBe('3→5');
    expect(describeChange(undefined, 'x')).toBe('(unset)→x');
    expect(describeChange({ a: 1 }, { a: 2 })).toBe('{"a":1}→{"a":2}');
  });

  it('cuts long values around the part that differs, the same window on both sides', () => {
    const head = 'x'.repeat(60);
    const tail = 'y'.repeat(60);
    // 16 characters of context before the first difference and after the last one
    expect(describeChange(`${head} error one ${tail}`, `${head} error two ${tail}`)).toBe(`…${'x'.repeat(9)} error one ${'y'.repeat(15)}…→…${'x'.repeat(9)} error two ${'y'.repeat(15)}…`);
    expect(describeChange(`alpha ${tail}`, `omega ${tail}`)).toBe(`alpha ${'y'.repeat(14)}…→omega ${'y'.repeat(14)}…`);
    expect(describeChange(`${head}!`, `${head}?`)).toBe(`…${'x'.repeat(16)}!→…${'x'.repeat(16)}?`);
    expect(describeChange(head, `${head}, more`)).toBe(`…${'x'.repeat(16)}→…${'x'.repeat(16)}, more`);
  });

  it('shows the start of a long differing part, and never splits a character', () => {
    const out = describeChange('a'.repeat(200), 'b'.repeat(200));
    expect(out).toBe(`${'a'.repeat(64)}…→${'b'.repeat(64)}…`);
    const emoji = '😀'.repeat(40);
    const text = describeChange(`${emoji}A`, `${emoji}B`);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(text.endsWith('A→…' + text.split('→…')[1].slice(0, -1) + 'B')).toBe(true);
  });
});
