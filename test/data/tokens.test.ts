import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { countExampleTokens, countTextTokens, type EncodingName } from '../../src/data/tokens.js';
import { readJsonl } from './read-jsonl.js';

/** tiktoken's core (npm tiktoken, the Rust core as WASM): the counts must equal it. */
const cores = new Map<EncodingName, Tiktoken>();
const encodeText = (text: string, encoding: EncodingName) => {
  let core = cores.get(encoding);
  if (!core) cores.set(encoding, (core = get_encoding(encoding)));
  return core.encode_ordinary(text);
};
afterAll(() => cores.forEach((core) => core.free()));

const fixtures = join(import.meta.dirname, '../fixtures');
const tricky = [
  '',
  'hello world',
  'Hello   world\n\n\n  \t tabs\r\n',
  '<|endoftext|> and <|im_start|>system<|im_end|> look special',
  'emoji 👩‍👩‍👧‍👦 🇫🇷 and CJK 日本語のテキスト, Ünïcödé ß İ',
  "don't we'LL they're I'M 12345678 3.14159 -42",
  ' '.repeat(300) + 'x' + '\n'.repeat(50),
  'a'.repeat(500),
  '\u0000\u0001 zero-width\u200b joiner',
];

describe('token counts', () => {
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    it(`equal tiktoken's core on tricky text (${encoding})`, () => {
      for (const text of tricky) {
        expect(countTextTokens(text, encoding)).toBe(encodeText(text, encoding).length);
        expect(countTextTokens(text, encoding)).toBe(encodeText(text, encoding).length); // cached path
      }
    });

    it(`equal tiktoken's core on every fixture line (${encoding})`, () => {
      for (const file of ['sharegpt/antrea-issues.json', 'csv/loghub-Linux_2k.log_structured.csv', 'prompt-completion/rico5550-train-pc.jsonl']) {
        for (const line of readFileSync(join(fixtures, file), 'utf8').split('\n').slice(0, 400)) {
          expect(countTextTokens(line, encoding)).toBe(encodeText(line, encoding).length);
        }
      }
    });
  }

  it('count examples with the cookbook formula', () => {
    const [example] = readJsonl(join(fixtures, 'chat/chenditc-example-finetune-data.jsonl'));
    const enc = (s: string) => encodeText(s, 'o200k_base').length;
    let expected = 3;
    for (const m of example.messages) expected += 3 + enc(m.role) + enc(m.content);
    const assistant = example.messages.filter((m: any) => m.role === 'assistant').reduce((n: number, m: any) => n + enc(m.content), 0);
    expect(countExampleTokens(example, 'o200k_base')).toEqual({ total: expected, assistant });
    const named = { messages: [{ role: 'user', content: 'hi', name: 'bob' }] };
    expect(countExampleTokens(named, 'o200k_base').total).toBe(3 + 3 + enc('user') + enc('hi') + enc('bob') + 1);
  });
});
