/**
 * Token counts that equal tiktoken's core: `encode_ordinary(text).length` (text that looks like a
 * special token is counted as plain text, never thrown on), with the core's pattern semantics (see
 * tiktoken-patterns.ts). Example counts follow the OpenAI cookbook.
 *
 * Fast and lean: the pre-tokenizer pattern is replaced by a hand-written scanner on ASCII text (the
 * full pattern still runs on the pieces that need Unicode classes, see pretokenize.ts), pieces that are
 * a token themselves cost one hash-table probe straight from the text, other pieces go through a
 * bounded cache in front of the BPE merge (linear-ish on long pieces, see byte-pair-merge.ts), and the
 * rank table (see bpe.ts) is built once per process on first use and shared with worker threads
 * (sharedRanks / useSharedRanks).
 */
import { loadRankFile, RankTable, type SharedRanks } from './bpe.js';
import { bytePairCount } from './byte-pair-merge.js';
import { cl100kPieceEnd, o200kPieceEnd } from './pretokenize.js';
import { pieceRegExp } from './tiktoken-patterns.js';
import type { ChatMessage } from './chat-example.js';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Bound the piece cache so an adversarial file cannot grow it without limit (cleared when full). */
const MAX_CACHE_ENTRIES = 100_000;
/** Pieces longer than this are rare (long words, whitespace runs) and not worth a cache slot. */
const MAX_CACHED_PIECE = 64;

const nonAscii = /[^\x00-\x7f]/;

export class TokenCounter {
  private readonly ranks: RankTable;
  private readonly pattern: RegExp;
  private readonly pieceEnd: (text: string, p: number) => number;
  private readonly cache = new Map<string, number>();
  /** Counters for tests and benchmarks. */
  readonly stats = { pieces: 0, regexPieces: 0, bpe: 0 };

  constructor(readonly encoding: EncodingName, shared: SharedRanks) {
    this.ranks = new RankTable(shared.buffer);
    this.pattern = pieceRegExp(encoding);
    this.pieceEnd = encoding === 'o200k_base' ? o200kPieceEnd : cl100kPieceEnd;
  }

  count(text: string): number {
    const len = text.length;
    const pieceEnd = this.pieceEnd;
    let total = 0;
    let p = 0;
    while (p < len) {
      let end = pieceEnd(text, p);
      if (end > p) {
        // An ASCII piece is its own latin1 byte string: look it up in place.
        total += this.ranks.rank(text, p, end) >= 0 ? 1 : this.cachedCount(text.slice(p, end), false);
      } else {
        const pattern = this.pattern;
        pattern.lastIndex = p;
        const match = pattern.exec(text);
        if (match === null) throw new Error(`pre-tokenizer matched nothing at offset ${p}`); // every character is in some alternative
        const piece = match[0];
        end = match.index + piece.length;
        total += this.cachedCount(piece, true);
        this.stats.regexPieces++;
      }
      this.stats.pieces++;
      p = end;
    }
    return total;
  }

  /** Tokens of one pre-tokenized piece: encoding it alone gives the same tokens as in its text. */
  pieceCount(piece: string): number {
    const bytes = nonAscii.test(piece) ? Buffer.from(piece, 'utf8').toString('latin1') : piece;
    if (this.ranks.rank(bytes, 0, bytes.length) >= 0) return 1;
    this.stats.bpe++;
    return bytePairCount(bytes, this.ranks);
  }

  private cachedCount(piece: string, maybeNonAscii: boolean): number {
    if (piece.length > MAX_CACHED_PIECE) return maybeNonAscii ? this.pieceCount(piece) : this.asciiCount(piece);
    let n = this.cache.get(piece);
    if (n === undefined) {
      n = maybeNonAscii ? this.pieceCount(piece) : this.asciiCount(piece);
      if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.clear();
      this.cache.set(piece, n);
    }
    return n;
  }

  /** An ASCII piece that is not a token itself. */
  private asciiCount(piece: string): number {
    this.stats.bpe++;
    return bytePairCount(piece, this.ranks);
  }
}

const shared = new Map<EncodingName, SharedRanks>();
const counters = new Map<EncodingName, TokenCounter>();

/** The process's rank table for an encoding (built on first call), to hand to worker threads. */
export function sharedRanks(encoding: EncodingName): SharedRanks {
  let ranks = shared.get(encoding);
  if (!ranks) {
    const file = loadRankFile(encoding);
    ranks = { buffer: RankTable.fromRankFile(file.bpe_ranks).buffer };
    shared.set(encoding, ranks);
  }
  return ranks;
}

/** In a worker thread: count with the table the main thread built (see sharedRanks). */
export function useSharedRanks(encoding: EncodingName, ranks: SharedRanks): void {
  if (!shared.has(encoding)) shared.set(encoding, ranks);
}

/** The thread's counter for an encoding, built on first use. */
export function tokenCounter(encoding: EncodingName): TokenCounter {
  let counter = counters.get(encoding);
  if (!counter) {
    counter = new TokenCounter(encoding, sharedRanks(encoding));
    counters.set(encoding, counter);
  }
  return counter;
}

export function countTextTokens(text: string, encoding: EncodingName): number {
  return tokenCounter(encoding).count(text);
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
  const counter = tokenCounter(encoding);
  const value = (example ?? {}) as Record<string, any>;
  if (value.input && typeof value.input === 'object' && !Array.isArray(value.messages)) {
    const all = [value.input.messages, value.preferred_output, value.non_preferred_output].flatMap((m) => (Array.isArray(m) ? m : []));
    const tokens = messageTokens(all, counter);
    return { total: tokens.total + toolTokens(value.input, counter), assistant: tokens.assistant };
  }
  const tokens = messageTokens(value.messages, counter);
  return { total: tokens.total + toolTokens(value, counter), assistant: tokens.assistant };
}

function messageTokens(messages: unknown, counter: TokenCounter): ExampleTokens {
  if (!Array.isArray(messages)) return { total: 0, assistant: 0 };
  let total = 3;
  let assistant = 0;
  for (const message of messages as ChatMessage[]) {
    if (!message || typeof message !== 'object') continue;
    total += 3;
    const isAssistant = message.role === 'assistant';
    for (const key in message) {
      if (key === 'weight') continue;
      const v = message[key];
      if (v === null || v === undefined) continue;
      const n = counter.count(typeof v === 'string' ? v : JSON.stringify(v));
      total += n;
      if (key === 'name') total += 1;
      // The same string the cookbook counts again for assistant tokens: count it once.
      if (key === 'content' && isAssistant && typeof v === 'string') assistant += n;
    }
  }
  return { total, assistant };
}

function toolTokens(holder: Record<string, unknown>, counter: TokenCounter): number {
  let n = 0;
  if (Array.isArray(holder.tools)) n += counter.count(JSON.stringify(holder.tools));
  if (Array.isArray(holder.functions)) n += counter.count(JSON.stringify(holder.functions));
  return n;
}
