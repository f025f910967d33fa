/** Token-level views of an answer: truncation to max_tokens and the pieces a stream sends one by one. */
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { encodingFor } from '../../models/catalog.js';

const encoders = new Map<string, Tiktoken>();

function encoderFor(model: string): Tiktoken {
  const name = encodingFor(model);
  let encoder = encoders.get(name);
  if (!encoder) {
    encoder = new Tiktoken(name === 'o200k_base' ? o200kBase : cl100kBase);
    encoders.set(name, encoder);
  }
  return encoder;
}

export interface TokenText {
  text: string;
  /** Decoded text of each token, in order (concatenated they give `text`). */
  pieces: string[];
  truncated: boolean;
}

export function limitTokens(text: string, model: string, maxTokens: number | undefined): TokenText {
  const encoder = encoderFor(model);
  const all = encoder.encode(text, [], []);
  const tokens = maxTokens !== undefined && all.length > maxTokens ? all.slice(0, maxTokens) : all;
  // Decode growing prefixes so a character split across tokens is emitted whole, never as U+FFFD.
  const pieces: string[] = [];
  let previous = '';
  for (let i = 1; i <= tokens.length; i++) {
    const prefix = encoder.decode(tokens.slice(0, i));
    if (prefix.endsWith('\uFFFD') && i < tokens.length) continue;
    pieces.push(prefix.slice(previous.length));
    previous = prefix;
  }
  return { text: previous, pieces, truncated: tokens.length < all.length };
}
