/**
 * tiktoken's pre-tokenizer patterns (tiktoken_ext/openai_public.py) rewritten for JavaScript with the
 * meaning they have in tiktoken's Rust core (fancy-regex over the regex crate), not in JavaScript:
 * - `\s` is Unicode White_Space (it includes U+0085 and excludes U+FEFF; JavaScript's `\s` is the
 *   other way round) and `\p{L}`, `\p{N}`, `\p{Lu}`… come from the Unicode version of the regex crate
 *   tiktoken is built with (see unicode-classes.ts), not from the ICU inside this Node.js;
 * - `(?i:'s|…)` is spelled out with simple case folding (`'ſ` is a contraction there, U+017F folding to s),
 *   since JavaScript on Node 20 has no inline flags.
 * cl100k_base is written in the form the npm tiktoken core ships; tiktoken 0.14's possessive form
 * (`?+`, `++`, `\s++$|\s*[\r\n]|…\s`) matches the same pieces (possessive quantifiers followed by
 * disjoint classes never backtrack anyway).
 */
import * as classes from './unicode-classes.js';
import type { EncodingName } from './tokens.js';

/** A class body (no brackets) from unicode-classes' encoded ranges. */
function classBody(encoded: string): string {
  let at = 0;
  let body = '';
  for (const pair of encoded.split(' ')) {
    const dot = pair.indexOf('.');
    const from = at + Number.parseInt(pair.slice(0, dot), 36);
    const to = from + Number.parseInt(pair.slice(dot + 1), 36);
    body += to === from ? codePoint(from) : `${codePoint(from)}-${codePoint(to)}`;
    at = to + 1;
  }
  return body;
}

const codePoint = (c: number) => `\\u{${c.toString(16)}}`;

const L = classBody(classes.letter);
const N = classBody(classes.number);
const S = classBody(classes.whiteSpace);
const upper = classBody(classes.upperOrCaseless);
const lower = classBody(classes.lowerOrCaseless);

/** (?i:'s|'t|'re|'ve|'m|'ll|'d) */
const contraction = `'(?:[sS\\u{17f}]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])`;
/** \s*[\r\n]+|\s+(?!\S)|\s+ */
const whitespace = `[${S}]*[\\r\\n]+|[${S}]+(?![^${S}])|[${S}]+`;

const sources: Record<EncodingName, string> = {
  // '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
  cl100k_base: `${contraction}|[^\\r\\n${L}${N}]?[${L}]+|[${N}]{1,3}| ?[^${S}${L}${N}]+[\\r\\n]*|${whitespace}`,
  // [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|…)?
  // |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|…)?
  // |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
  o200k_base:
    `[^\\r\\n${L}${N}]?[${upper}]*[${lower}]+(?:${contraction})?|[^\\r\\n${L}${N}]?[${upper}]+[${lower}]*(?:${contraction})?` +
    `|[${N}]{1,3}| ?[^${S}${L}${N}]+[\\r\\n/]*|${whitespace}`,
};

/** A sticky regex for the encoding's pre-tokenizer: set lastIndex to where the next piece starts. */
export function pieceRegExp(encoding: EncodingName): RegExp {
  return new RegExp(sources[encoding], 'uy');
}
