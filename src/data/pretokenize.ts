/**
 * A hand-written scanner for tiktoken's pre-tokenizer patterns (cl100k_base and o200k_base) on ASCII
 * text. It returns where the pattern's match starting at a position ends, exactly as tiktoken's core
 * would (see tiktoken-patterns.ts), or -1 when deciding that needs the Unicode class of a non-ASCII
 * character: the caller then runs the full pattern from that position. In ASCII the core's classes and
 * JavaScript's agree (\s is \t \n \v \f \r and space in both). Mixed text is exact because every match
 * of these patterns starts where the previous one ended (every character is a letter, a number,
 * whitespace or "other", and some alternative takes each) and the patterns have no lookbehind, so a
 * match depends only on the text from its start onwards.
 */

export type PatternKind = 'cl100k' | 'o200k';

const END = 0;
const UPPER = 1;
const LOWER = 2;
const DIGIT = 3;
/** \r and \n */
const NEWLINE = 4;
/** \t \v \f and space: \s in ASCII, minus the newlines */
const SPACE = 5;
/** Anything else in ASCII: [^\s\p{L}\p{N}] */
const OTHER = 6;
const NON_ASCII = 7;

const asciiClass = new Uint8Array(128).fill(OTHER);
for (let c = 0x41; c <= 0x5a; c++) asciiClass[c] = UPPER;
for (let c = 0x61; c <= 0x7a; c++) asciiClass[c] = LOWER;
for (let c = 0x30; c <= 0x39; c++) asciiClass[c] = DIGIT;
asciiClass[0x0a] = NEWLINE;
asciiClass[0x0d] = NEWLINE;
for (const c of [0x09, 0x0b, 0x0c, 0x20]) asciiClass[c] = SPACE;

function classAt(text: string, i: number): number {
  if (i >= text.length) return END;
  const c = text.charCodeAt(i);
  return c < 128 ? asciiClass[c] : NON_ASCII;
}

const APOSTROPHE = 0x27;
const SPACE_CHAR = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const SLASH = 0x2f;
/** ſ (LATIN SMALL LETTER LONG S) case-folds to s: "'ſ" is a contraction in the core's (?i:'s|…), a non-ASCII piece. */
const LONG_S = 0x17f;

/** Length of the contraction ('s 't 're 've 'm 'll 'd, any case) at i (which holds "'"), 0 if none, -1 for "'ſ". */
function contractionLength(text: string, i: number): number {
  const a = text.charCodeAt(i + 1);
  if (a !== a) return 0; // NaN: end of text
  if (a === LONG_S) return -1;
  switch (a | 0x20) {
    case 0x73: // s
    case 0x74: // t
    case 0x6d: // m
    case 0x64: // d
      return 2;
    case 0x72: // r
    case 0x76: {
      // v
      const b = text.charCodeAt(i + 2);
      return b === 0x65 || b === 0x45 ? 3 : 0;
    }
    case 0x6c: {
      // l
      const b = text.charCodeAt(i + 2);
      return b === 0x6c || b === 0x4c ? 3 : 0;
    }
    default:
      return 0;
  }
}

/** End of the run of characters of the given classes from i; -1 when a non-ASCII character ends it. */
function runEnd(text: string, i: number, a: number, b: number): number {
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c >= 128) return -1;
    const k = asciiClass[c];
    if (k !== a && k !== b) return i;
    i++;
  }
  return i;
}

/** \s*[\r\n]+ | \s+(?!\S) | \s+ from p, where text[p] is ASCII whitespace. */
function whitespaceEnd(text: string, p: number): number {
  const len = text.length;
  let q = p;
  let lastNewline = -1;
  while (q < len) {
    const c = text.charCodeAt(q);
    if (c >= 128) return -1; // might be Unicode whitespace
    const k = asciiClass[c];
    if (k === NEWLINE) lastNewline = q;
    else if (k !== SPACE) break;
    q++;
  }
  if (lastNewline >= 0) return lastNewline + 1;
  if (q === len) return q;
  return q - 1 > p ? q - 1 : q;
}

/** ` ?[^\s\p{L}\p{N}]+` then [\r\n]* (cl100k) or [\r\n/]* (o200k), from the first "other" character at i. */
function punctuationEnd(text: string, i: number, slash: boolean): number {
  let q = runEnd(text, i, OTHER, OTHER);
  if (q < 0) return -1;
  const len = text.length;
  while (q < len) {
    const c = text.charCodeAt(q);
    if (c === CR || c === LF || (slash && c === SLASH)) q++;
    else break;
  }
  return q;
}

/**
 * cl100k_base: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 */
export function cl100kPieceEnd(text: string, p: number): number {
  const c0 = classAt(text, p);
  if (c0 === NON_ASCII || c0 === END) return -1;
  if (text.charCodeAt(p) === APOSTROPHE) {
    const n = contractionLength(text, p);
    if (n !== 0) return n < 0 ? -1 : p + n;
  }
  if (c0 === UPPER || c0 === LOWER) return runEnd(text, p + 1, UPPER, LOWER);
  if (c0 === SPACE || c0 === OTHER) {
    const c1 = classAt(text, p + 1);
    if (c1 === NON_ASCII) return -1;
    if (c1 === UPPER || c1 === LOWER) return runEnd(text, p + 2, UPPER, LOWER);
    if (c0 === OTHER) return punctuationEnd(text, p + 1, false);
    if (text.charCodeAt(p) === SPACE_CHAR && c1 === OTHER) return punctuationEnd(text, p + 2, false);
  }
  if (c0 === DIGIT) return digitsEnd(text, p);
  return whitespaceEnd(text, p);
}

/**
 * o200k_base: [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(contraction)?
 * | [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(contraction)?
 * | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
 */
export function o200kPieceEnd(text: string, p: number): number {
  const c0 = classAt(text, p);
  if (c0 === NON_ASCII || c0 === END) return -1;
  let start = -1;
  if (c0 === UPPER || c0 === LOWER) start = p;
  else if (c0 === SPACE || c0 === OTHER) {
    const c1 = classAt(text, p + 1);
    if (c1 === NON_ASCII) return -1;
    if (c1 === UPPER || c1 === LOWER) start = p + 1;
  }
  if (start >= 0) {
    // In ASCII the upper and lower classes are disjoint, so the greedy runs never backtrack: the first
    // alternative matches when lowercase letters follow the uppercase run, the second otherwise.
    const upperEnd = runEnd(text, start, UPPER, UPPER);
    if (upperEnd < 0) return -1;
    let end = runEnd(text, upperEnd, LOWER, LOWER);
    if (end < 0) return -1;
    if (text.charCodeAt(end) !== APOSTROPHE) return end;
    const n = contractionLength(text, end);
    return n < 0 ? -1 : end + n;
  }
  if (c0 === DIGIT) return digitsEnd(text, p);
  if (c0 === OTHER) return punctuationEnd(text, p + 1, true);
  if (text.charCodeAt(p) === SPACE_CHAR) {
    const c1 = classAt(text, p + 1);
    if (c1 === NON_ASCII) return -1;
    if (c1 === OTHER) return punctuationEnd(text, p + 2, true);
  }
  return whitespaceEnd(text, p);
}

/** \p{N}{1,3} from a digit at p. */
function digitsEnd(text: string, p: number): number {
  let q = p + 1;
  const max = Math.min(p + 3, text.length);
  while (q < max) {
    const c = text.charCodeAt(q);
    if (c >= 128) return -1; // might be a Unicode number
    if (asciiClass[c] !== DIGIT) break;
    q++;
  }
  return q;
}
