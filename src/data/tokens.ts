/**
 * Token counts that equal js-tiktoken's `encode(text, [], []).length` (tiktoken's encode_ordinary:
 * text that looks like a special token is counted as plain text, never thrown on), made fast by
 * caching the BPE result of each pre-tokenized piece. Example counts follow the OpenAI cookbook.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import type { ChatMessage } from './chat-example.js';

export type EncodingName = 'o200k_base' | 'cl100k_base';

const ranksByName = { o200k_base: o200kBase, cl100k_base: cl100kBase };
/** Pieces longer than this are rare (long words, whitespace runs) and not worth a cache slot. */
const MAX_CACHED_PIECE = 48;
/** Bound the cache so an adversarial file cannot grow it without limit. */
const MAX_CACHE_ENTRIES = 200_000;

class CachedTokenCounter {
  private readonly tiktoken: Tiktoken;
  private readonly pattern: RegExp;
  private readonly cache = new Map<string, number>();

  constructor(name: EncodingName) {
    const ranks = ranksByName[name];
    this.tiktoken = new Tiktoken(ranks);
    this.pattern = new RegExp(ranks.pat_str, 'gu');
  }

  count(text: string): number {
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    let total = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const piece = match[0];
      if (piece.length > MAX_CACHED_PIECE) {
        total += this.tiktoken.encode(piece, [], []).length;
        continue;
      }
      let n = this.cache.get(piece);
      if (n === undefined) {
        // A piece is its own single regex match, so encoding it alone gives the same tokens.
        n = this.tiktoken.encode(piece, [], []).length;
        if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.clear();
        this.cache.set(piece, n);
      }
      total += n;
    }
    return total;
  }

  /** Plain js-tiktoken, uncached: the reference the cached count must equal. */
  encode(text: string): number[] {
    return this.tiktoken.encode(text, [], []);
  }
}

const counters = new Map<EncodingName, CachedTokenCounter>();

function counterFor(encoding: EncodingName): CachedTokenCounter {
  let counter = counters.get(encoding);
  if (!counter) {
    counter = new CachedTokenCounter(encoding);
    counters.set(encoding, counter);
  }
  return counter;
}

export function countTextTokens(text: string, encoding: EncodingName): number {
  return counterFor(encoding).count(text);
}

/** Uncached js-tiktoken tokens, for checks and for callers that need ids. */
export function encodeText(text: string, encoding: EncodingName): number[] {
  return counterFor(encoding).encode(text);
}

export interface ExampleTokens {
  /** Cookbook formula: 3 per message + tokens of every value + 1 per name + 3. */
  total: number;
  /** Tokens of assistant message contents. */
  assistant: number;
}

/**
 * Tokens of one example. Chat examples: the cookbook's num_tokens_from_messages, where non-string
 * values (tool_calls, function_call) count as their JSON text, `weight` (a training switch, never sent
 * to the model) is skipped, and `tools`/`functions` add the tokens of their JSON. Preference (DPO)
 * examples: input messages plus both outputs.
 */
export function countExampleTokens(example: unknown, encoding: EncodingName): ExampleTokens {
  const counter = counterFor(encoding);
  const value = (example ?? {}) as Record<string, any>;
  if (value.input && typeof value.input === 'object' && !Array.isArray(value.messages)) {
    const all = [value.input.messages, value.preferred_output, value.non_preferred_output].flatMap((m) => (Array.isArray(m) ? m : []));
    const tokens = messageTokens(all, counter);
    return { total: tokens.total + toolTokens(value.input, counter), assistant: tokens.assistant };
  }
  const tokens = messageTokens(value.messages, counter);
  return { total: tokens.total + toolTokens(value, counter), assistant: tokens.assistant };
}

function messageTokens(messages: unknown, counter: CachedTokenCounter): ExampleTokens {
  if (!Array.isArray(messages)) return { total: 0, assistant: 0 };
  let total = 3;
  let assistant = 0;
  for (const message of messages as ChatMessage[]) {
    if (!message || typeof message !== 'object') continue;
    total += 3;
    for (const key in message) {
      if (key === 'weight') continue;
      const v = message[key];
      if (v === null || v === undefined) continue;
      total += counter.count(typeof v === 'string' ? v : JSON.stringify(v));
      if (key === 'name') total += 1;
    }
    if (message.role === 'assistant' && typeof message.content === 'string') assistant += counter.count(message.content);
  }
  return { total, assistant };
}

function toolTokens(holder: Record<string, unknown>, counter: CachedTokenCounter): number {
  let n = 0;
  if (Array.isArray(holder.tools)) n += counter.count(JSON.stringify(holder.tools));
  if (Array.isArray(holder.functions)) n += counter.count(JSON.stringify(holder.functions));
  return n;
}
