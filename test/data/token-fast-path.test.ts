import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get_encoding } from 'tiktoken';
import { TokenCounter, sharedRanks } from '../../src/data/tokens.js';
import { cl100kPieceEnd, o200kPieceEnd } from '../../src/data/pretokenize.js';
import { pieceRegExp } from '../../src/data/tiktoken-patterns.js';
import { RankTable, loadRankFile } from '../../src/data/bpe.js';
import { bytePairCount } from '../../src/data/byte-pair-merge.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const encodings = ['o200k_base', 'cl100k_base'] as const;

/** Deterministic random strings over fragments that stress every branch of the pre-tokenizer. */
function randomStrings(count: number, seed: number): string[] {
  const fragments = [' ', '  ', '   ', '\n', '\r\n', '\n\n', '\t', ' \t\n ', "'s", "'S", "'LL", "'re", "'Ve", "'d", "'x", "'", 'a', 'Z', 'Hello', 'HELLO', 'hELLo', 'ing', 'qzxv', 'é', 'ß', 'İ', 'Ǆǅǆ', 'ʰ', 'x\u0301', '日本語', '🚀', '👩‍👩‍👧', '123', '4', '12345', '٣٤', '½', '.', '...', '?!', '/', '//', '\\', '"', '-', '_', '<|endoftext|>', '<|im_start|>', '\u00a0', '\u3000', '\u2028', '\u200b', '\ufeff', '\ud800', '\udfff', '\u000b', '\f', '\u001c', '\u007f', '\u0000', '\u0085'];
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, () => {
    let s = '';
    const n = Math.floor(rnd() * 24);
    for (let i = 0; i < n; i++) s += fragments[Math.floor(rnd() * fragments.length)];
    return s;
  });
}

function fixtureLines(): string[] {
  return ['sharegpt/antrea-issues.json', 'csv/loghub-Linux_2k.log_structured.csv', 'prompt-completion/rico5550-train-pc.jsonl', 'chat/chenditc-example-finetune-data.jsonl'].flatMap((file) =>
    readFileSync(join(fixtures, file), 'utf8').split('\n').slice(0, 300),
  );
}

describe('ASCII pre-tokenizer', () => {
  for (const encoding of encodings) {
    it(`splits exactly like the full pattern (${encoding})`, () => {
      const pattern = pieceRegExp(encoding);
      const pieceEnd = encoding === 'o200k_base' ? o200kPieceEnd : cl100kPieceEnd;
      let fast = 0;
      for (const text of [...fixtureLines(), ...randomStrings(3000, 11)]) {
        const expected: string[] = [];
        for (let p = 0; p < text.length; p += expected[expected.length - 1].length) {
          pattern.lastIndex = p;
          expected.push(pattern.exec(text)![0]);
        }
        const pieces: string[] = [];
        for (let p = 0; p < text.length; ) {
          let end = pieceEnd(text, p);
          if (end > p) fast++;
          else {
            pattern.lastIndex = p;
            const m = pattern.exec(text)!;
            expect(m.index).toBe(p);
            end = p + m[0].length;
          }
          pieces.push(text.slice(p, end));
          p = end;
        }
        expect(pieces).toEqual(expected);
      }
      expect(fast).toBeGreaterThan(10_000); // the fast path did the work
    });
  }
});

describe('lean token counter', () => {
  for (const encoding of encodings) {
    const reference = get_encoding(encoding);
    const ref = (text: string) => reference.encode_ordinary(text).length;

    it(`equals tiktoken's core on fixture text and random Unicode strings, cached or not (${encoding})`, () => {
      const counter = new TokenCounter(encoding, sharedRanks(encoding));
      for (const text of [...fixtureLines(), ...randomStrings(3000, 5)]) {
        expect(counter.count(text)).toBe(ref(text));
        expect(counter.count(text)).toBe(ref(text)); // pieces now come from the cache
      }
      expect(counter.stats.regexPieces).toBeGreaterThan(0);
      expect(counter.stats.bpe).toBeGreaterThan(0);
    });

    it(`merges pieces that are not tokens like tiktoken's core, long ones included (${encoding})`, () => {
      const counter = new TokenCounter(encoding, sharedRanks(encoding));
      const pieces = ['qzxvqzxvkjh', ' Xyzzyplughfoo', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ' ' + 'ab'.repeat(80), '!@#$%^&*()_+{}|:<>?~`', 'ÜbërStraße', '日本語のテキスト', '🚀🚀🚀', '\ud800x'];
      for (const piece of pieces) {
        expect(counter.count(piece)).toBe(ref(piece));
        expect(counter.pieceCount(piece)).toBe(ref(piece));
      }
    });

    it(`has every rank of the rank file (${encoding})`, () => {
      const table = new RankTable(sharedRanks(encoding).buffer);
      const file = loadRankFile(encoding);
      const tokens = file.bpe_ranks.split('\n')[0].split(' ').slice(2);
      for (let rank = 0; rank < tokens.length; rank += 97) {
        const bytes = Buffer.from(tokens[rank], 'base64').toString('latin1');
        expect(table.rank(bytes, 0, bytes.length)).toBe(rank);
      }
      expect(table.rank('qzxvqzxvkjhqzxv', 0, 15)).toBe(-1);
      expect(bytePairCount('qzxvqzxvkjhqzxv', table)).toBe(ref('qzxvqzxvkjhqzxv'));
    });
  }
});
