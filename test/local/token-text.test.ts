/**
 * The chat route's tokens (src/local/chat/token-text.ts, on the lean rank table) are js-tiktoken's:
 * same count, same text per truncation, pieces that concatenate to the text — on real multilingual
 * conversations and log lines; and the sliced prompt count adds up to the one-shot cookbook count.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import { countExampleTokens } from '../../src/data/tokens.js';
import { loadRankFile } from '../../src/data/bpe.js';
import { limitTokens } from '../../src/local/chat/token-text.js';
import { countPromptTokens } from '../../src/local/chat/prompt-tokens.js';
import { textSlices } from '../../src/local/chat/text-slices.js';
import { loghubRows } from './helpers/loghub-examples.js';

const conversations = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/sharegpt/fastchat-dummy-conversation.json'), 'utf8')) as Array<{ conversations: Array<{ value: string }> }>;
const texts = [
  ...conversations.slice(0, 60).flatMap((c) => c.conversations.map((m) => m.value)),
  ...loghubRows('Linux').slice(0, 40).map((r) => r.Content),
  'naïve café — 日本語のテキスト 🚀👩‍👩‍👧 Straße\t\ttabs  and   spaces\r\nCRLF',
];

describe('limitTokens', () => {
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    const model = encoding === 'o200k_base' ? 'gpt-4o-mini' : 'gpt-3.5-turbo';
    const reference = new Tiktoken(loadRankFile(encoding));

    it(`gives js-tiktoken's tokens (${encoding})`, () => {
      for (const text of texts) {
        const ids = reference.encode(text);
        const all = limitTokens(text, model, undefined);
        expect(all.tokens).toBe(ids.length);
        expect(all.text).toBe(text);
        expect(all.pieces.join('')).toBe(text);
        expect(all.pieces.some((p) => p.includes('\uFFFD')) && !text.includes('\uFFFD')).toBe(false);
        for (const n of [1, 3, Math.floor(ids.length / 2)].filter((n) => n > 0 && n < ids.length)) {
          const cut = limitTokens(text, model, n);
          expect(cut.truncated).toBe(true);
          expect(cut.tokens).toBe(n);
          expect(cut.text).toBe(reference.decode(ids.slice(0, n)));
        }
      }
    });
  }
});

describe('sliced prompt counting', () => {
  it('adds up to the cookbook count of the whole prompt, and refuses a prompt past the window', async () => {
    const long = conversations.slice(0, 200).flatMap((c) => c.conversations.map((m) => m.value)).join(' ');
    expect([...textSlices(long, 4096)].join('')).toBe(long);
    const messages = [{ role: 'system', content: 'You answer questions.' }, { role: 'user', content: long }, { role: 'assistant', content: texts.at(-1) }];
    const budget = { turn: async () => {} };
    expect(await countPromptTokens(messages, 'o200k_base', 10_000_000, budget)).toBe(countExampleTokens({ messages }, 'o200k_base').total);
    await expect(countPromptTokens(messages, 'o200k_base', 1000, budget)).rejects.toMatchObject({ status: 400, code: 'context_length_exceeded' });
  });
});
