import { describe, expect, it } from 'vitest';
import { DuplicateRules } from '../../src/data/duplicate-rules.js';
import { exampleDigests, normalizedKey } from '../../src/data/example-keys.js';
import type { ChatExample } from '../../src/data/chat-example.js';

const a: ChatExample = { messages: [{ role: 'user', content: 'Hi there' }, { role: 'assistant', content: 'Hello' }] };
const reordered: ChatExample = { messages: [{ content: 'Hi there', role: 'user' }, { content: 'Hello', role: 'assistant' }] };
const shouted: ChatExample = { messages: [{ role: 'user', content: 'HI   there ' }, { role: 'assistant', content: 'hello' }] };

function rulesHits(enabled: string[], examples: ChatExample[]) {
  const rules = new DuplicateRules(new Set(enabled), ['in.jsonl'], []);
  return examples.map((example, i) => rules.check(exampleDigests(example, JSON.stringify(example), rules.canonicalExact), { file: 'in.jsonl', line: i + 1 })?.rule ?? null);
}

describe('duplicate rules', () => {
  it('with both dedupe rules, an exact repeat is dedupe-exact and a reordered or re-cased one dedupe-normalized', () => {
    expect(rulesHits(['dedupe-exact', 'dedupe-normalized'], [a, a, reordered, shouted])).toEqual([null, 'dedupe-exact', 'dedupe-normalized', 'dedupe-normalized']);
  });

  it('dedupe-exact alone ignores key order but not case', () => {
    expect(rulesHits(['dedupe-exact'], [a, reordered, shouted])).toEqual([null, 'dedupe-exact', null]);
  });

  it('normalizedKey folds case and spacing only in message text', () => {
    expect(normalizedKey(shouted)).toBe(normalizedKey(a));
    expect(normalizedKey({ messages: [{ role: 'user', content: 'x', name: 'Bob' }] })).not.toBe(normalizedKey({ messages: [{ role: 'user', content: 'x', name: 'bob' }] }));
  });
});
