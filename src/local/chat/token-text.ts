/**
 * Token-level views of an answer: truncation to max_tokens and the pieces a stream sends one by one.
 * Uses the lean rank table of src/data (shared, ~9 MB, built off the event loop by ranks-loader.ts)
 * instead of js-tiktoken's encoder (~200 MB and seconds to build on the first request); the tokens are
 * js-tiktoken's (test/local/token-text.test.ts compares them).
 */
import { RankTable } from '../../data/bpe.js';
import { bytePairParts } from '../../data/byte-pair-merge.js';
import { cl100kPieceEnd, o200kPieceEnd } from '../../data/pretokenize.js';
import { sharedRanks, type EncodingName } from '../../data/tokens.js';
import { pieceRegExp } from '../../data/tiktoken-patterns.js';
import { encodingFor } from '../../models/catalog.js';

export interface TokenText {
  text: string;
  /** Decoded text, token by token (concatenated they give `text`); a character split across tokens comes whole with its last token. */
  pieces: string[];
  /** Tokens in `text`. */
  tokens: number;
  truncated: boolean;
}

interface Tokenizer {
  ranks: RankTable;
  pattern: RegExp;
  pieceEnd: (text: string, p: number) => number;
}

const tokenizers = new Map<EncodingName, Tokenizer>();

export function limitTokens(text: string, model: string, maxTokens: number | undefined): TokenText {
  const limit = maxTokens ?? Infinity;
  const pieces: string[] = [];
  let pending: Buffer[] = [];
  let tokens = 0;
  let truncated = false;
  for (const token of tokenBytes(text, tokenizerFor(encodingFor(model)))) {
    if (tokens === limit) {
      truncated = true;
      break;
    }
    tokens++;
    pending.push(token);
    const bytes = pending.length === 1 ? token : Buffer.concat(pending);
    if (endsOnCharacter(bytes)) {
      pieces.push(bytes.toString('utf8'));
      pending = [];
    }
  }
  // Cut inside a character by max_tokens: what is there decodes with a replacement character, as OpenAI's does.
  if (pending.length > 0) pieces.push(Buffer.concat(pending).toString('utf8'));
  return { text: pieces.join(''), pieces, tokens, truncated };
}

/** The UTF-8 bytes of each token of `text`, in order. */
function* tokenBytes(text: string, { ranks, pattern, pieceEnd }: Tokenizer): Generator<Buffer> {
  let p = 0;
  while (p < text.length) {
    let end = pieceEnd(text, p);
    if (end <= p) {
      pattern.lastIndex = p;
      const match = pattern.exec(text);
      if (match === null) return;
      end = match.index + match[0].length;
    }
    const bytes = Buffer.from(text.slice(p, end), 'utf8');
    const latin1 = bytes.toString('latin1');
    if (latin1.length <= 1 || ranks.rank(latin1, 0, latin1.length) >= 0) yield bytes;
    else {
      const starts = bytePairParts(latin1, ranks);
      for (let i = 0; i + 1 < starts.length; i++) yield bytes.subarray(starts[i], starts[i + 1]);
    }
    p = end;
  }
}

/** True when the bytes end with a complete UTF-8 character. */
function endsOnCharacter(bytes: Buffer): boolean {
  let lead = bytes.length - 1;
  while (lead > 0 && lead > bytes.length - 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
  const first = bytes[lead];
  const length = first < 0x80 ? 1 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return bytes.length - lead >= length;
}

function tokenizerFor(encoding: EncodingName): Tokenizer {
  let tokenizer = tokenizers.get(encoding);
  if (!tokenizer) {
    const shared = sharedRanks(encoding);
    tokenizer = { ranks: new RankTable(shared.buffer), pattern: pieceRegExp(encoding), pieceEnd: encoding === 'o200k_base' ? o200kPieceEnd : cl100kPieceEnd };
    tokenizers.set(encoding, tokenizer);
  }
  return tokenizer;
}
