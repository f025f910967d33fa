/** Strings that stress tiktoken's pre-tokenizer: where JavaScript's regex classes and the core's differ. */

/** Fragments concatenated at random by edgeStrings. */
const alphabet = [
  // whitespace: JavaScript's \s has U+FEFF and lacks U+0085; the core's is Unicode White_Space
  ' ', '  ', '\n', '\r', '\r\n', '\n\n', '\t', '\v', '\f', '\u0085', '\ufeff', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\u180e', '\u200b', '\u2060',
  // contractions, in every case, and ones that are not
  "'", "'s", "'S", "'t", "'re", "'RE", "'Ve", "'m", "'ll", "'LL", "'lL", "'d", "'D", "'x", "\u2019s", "'\u017f", "'\u212a", 'n\'t',
  // letters of every case class, marks, and a letter whose class changed after Unicode 16 (U+0295 Ll → Lo)
  'a', 'Z', 'Hello', 'HELLO', 'hELLo', 'é', 'e\u0301', 'ß', 'İ', 'ǅ', 'Ǆǅǆ', 'ʰ', 'ʕ', 'ʕa', 'Aʕb', '\u0301', '\u0308', '\u20dd', 'ĀĂ', 'Ωω', 'Жж', '\u088f', '\ua7ce',
  // digits and numbers: ASCII, other scripts, fractions, letter numbers, and one new in Unicode 17
  '1', '12', '123', '12345', '٣٤', '१२', '１２', '²', '½', 'Ⅻ', '〇', '\u{11de0}',
  // emoji, ZWJ sequences, flags, CJK, Hangul, Thai, Devanagari
  '🚀', '👩‍👩‍👧', '👍🏽', '🇫🇷', '❤️', '日本語', '中文', '한국어', 'ภาษาไทย', 'हिन्दी', '\u{2ebf0}', '\u{323b0}',
  // punctuation, slashes (o200k keeps [\r\n/]* after punctuation), special-token text, controls, lone surrogates
  '.', '...', '?!', '/', '//', '\\', '"', '-', '_', '<|endoftext|>', '<|im_start|>', '\u0000', '\u001c', '\u007f', '\ud800', '\udfff',
];

/** Deterministic pseudo-random strings of 0–23 fragments (an LCG, so every run tests the same strings). */
export function* edgeStrings(count: number, seed: number): Generator<string> {
  let x = seed >>> 0;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = Math.floor(next() * 24);
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(next() * alphabet.length)];
    yield s;
  }
}

/** Hand-picked cases: the examples, long runs, and each whitespace character at a run's edge. */
export function adversarialStrings(): string[] {
  const list = [
    '', 'Hello \ufeffWorld', "\ufeff'm", '\u0085,t', 'a\u0085b', ' \u0085\n', "'\u017f", "it'\u017f", "IT'\u017fx", 'ʕAb', 'Aʕb',
    'a\n ', 'x \n\n  ', '\n \n\t', ' \u3000x', '\u3000\u3000a', '12\u0085', 'a'.repeat(300), ' '.repeat(300) + 'x', '\n'.repeat(300),
    '日本語'.repeat(100), 'x' + '\u0301'.repeat(200), "don't we'LL they're I'M 12345678 3.14159 -42", '<|endoftext|> and <|im_start|>system<|im_end|>',
  ];
  const whitespace = [' ', '\t', '\n', '\r', '\v', '\f', '\u0085', '\ufeff', '\u00a0', '\u2028', '\u3000'];
  for (const w of whitespace) for (const v of whitespace) list.push(`a${w}${v}b`, `${w}${v}`, `a${w}${v}`, `${w}${v}'s`, `1${w}${v}1`);
  return list;
}

/** Pieces of 100–3,000 bytes without a break (the merge heap's path), random over a few scripts. */
export function* longPieces(seed: number): Generator<string> {
  let x = seed >>> 0;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const runs = ['abcdefghijklmnopqrstuvwxyz', 'aaaaab', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ' ', ' \n', '\n', '\t ', '日本語のテキスト中文', '한국어', '!@#$%^&*()/', '\u3000', 'é\u0301ʰ', '🚀👍🏽'];
  for (let i = 0; i < 30; i++) {
    const alphabet = [...runs[i % runs.length]];
    const length = 100 + Math.floor(next() * 2900);
    let s = '';
    while (s.length < length) s += alphabet[Math.floor(next() * alphabet.length)];
    yield s;
    yield 'x' + s + ' end';
  }
}
