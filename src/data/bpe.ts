/**
 * The rank table of a byte-pair encoding, lean enough to count tokens with a fraction of js-tiktoken's
 * memory and time (the merges are in byte-pair-merge.ts). The ranks live in one open-addressing hash table in a
 * SharedArrayBuffer (~9 MB for o200k_base, where js-tiktoken's "104,101,108"-keyed Maps plus its
 * decode table take ~200 MB per thread): it is built once per process and shared with the worker
 * threads, and is looked up straight from a text's characters (no substring, no Map).
 */
import { createRequire } from 'node:module';

export type RankEncoding = 'o200k_base' | 'cl100k_base';

export interface RankFile {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

const require = createRequire(import.meta.url);

/** js-tiktoken's rank files (CommonJS builds, so they load synchronously and only when needed). */
export function loadRankFile(name: RankEncoding): RankFile {
  return require(`js-tiktoken/ranks/${name}`) as RankFile;
}

/** What a worker thread needs to count tokens without loading the rank file: pass it in workerData. */
export interface SharedRanks {
  buffer: SharedArrayBuffer;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const HEADER_INTS = 4; // [slots, poolBytes, entries, unused]

const base64Values = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((ch, i) => (base64Values[ch.charCodeAt(0)] = i));

/**
 * Ranks keyed by token bytes. Layout (Int32 words, then bytes): header, then per slot
 * [hash, pool offset (-1: empty), byte length, rank], then the pool of token bytes.
 */
export class RankTable {
  private readonly slots: Int32Array;
  private readonly pool: Uint8Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    const header = new Int32Array(buffer, 0, HEADER_INTS);
    const slotCount = header[0];
    this.mask = slotCount - 1;
    this.slots = new Int32Array(buffer, HEADER_INTS * 4, slotCount * 4);
    this.pool = new Uint8Array(buffer, (HEADER_INTS + slotCount * 4) * 4, header[1]);
  }

  /** Builds the table from js-tiktoken's "! offset base64 base64 …" lines (a later duplicate wins, as there). */
  static fromRankFile(bpeRanks: string): RankTable {
    // Pass 1: count tokens and decoded bytes.
    let entries = 0;
    let poolBytes = 0;
    forEachToken(bpeRanks, (start, end) => {
      entries++;
      poolBytes += decodedLength(bpeRanks, start, end);
    });
    let slotCount = 1;
    while (slotCount < entries * 2) slotCount *= 2;
    const buffer = new SharedArrayBuffer((HEADER_INTS + slotCount * 4) * 4 + poolBytes);
    const header = new Int32Array(buffer, 0, HEADER_INTS);
    header[0] = slotCount;
    header[1] = poolBytes;
    new Int32Array(buffer, HEADER_INTS * 4, slotCount * 4).fill(-1);
    const table = new RankTable(buffer);
    let at = 0;
    forEachToken(bpeRanks, (start, end, rank) => {
      const length = decodeBase64(bpeRanks, start, end, table.pool, at);
      table.insert(at, length, rank);
      at += length;
    });
    header[2] = entries;
    return table;
  }

  private insert(offset: number, length: number, rank: number): void {
    const pool = this.pool;
    let h = FNV_OFFSET;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ pool[offset + i], FNV_PRIME);
    const slots = this.slots;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const base = s * 4;
      if (slots[base + 1] === -1) {
        slots[base] = h;
        slots[base + 1] = offset;
        slots[base + 2] = length;
        slots[base + 3] = rank;
        return;
      }
      if (slots[base] === h && slots[base + 2] === length && pool.subarray(slots[base + 1], slots[base + 1] + length).every((b, i) => b === pool[offset + i])) {
        slots[base + 3] = rank;
        return;
      }
    }
  }

  /**
   * The rank of the token whose bytes are the char codes of text[start, end) (ASCII text, or a
   * latin1 string of UTF-8 bytes), or -1.
   */
  rank(text: string, start: number, end: number): number {
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
    const slots = this.slots;
    const pool = this.pool;
    const length = end - start;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const base = s * 4;
      const offset = slots[base + 1];
      if (offset === -1) return -1;
      if (slots[base] !== h || slots[base + 2] !== length) continue;
      let i = 0;
      while (i < length && pool[offset + i] === text.charCodeAt(start + i)) i++;
      if (i === length) return slots[base + 3];
    }
  }
}

function forEachToken(bpeRanks: string, fn: (start: number, end: number, rank: number) => void): void {
  const len = bpeRanks.length;
  let pos = 0;
  while (pos < len) {
    let lineEnd = bpeRanks.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = len;
    // "<marker> <offset> <token> <token> …"
    const markerEnd = bpeRanks.indexOf(' ', pos);
    if (markerEnd !== -1 && markerEnd < lineEnd) {
      let offsetEnd = bpeRanks.indexOf(' ', markerEnd + 1);
      if (offsetEnd === -1 || offsetEnd > lineEnd) offsetEnd = lineEnd;
      let rank = Number.parseInt(bpeRanks.slice(markerEnd + 1, offsetEnd), 10);
      let start = offsetEnd + 1;
      while (start < lineEnd) {
        let end = bpeRanks.indexOf(' ', start);
        if (end === -1 || end > lineEnd) end = lineEnd;
        if (end > start) fn(start, end, rank++);
        start = end + 1;
      }
    }
    pos = lineEnd + 1;
  }
}

function decodedLength(s: string, start: number, end: number): number {
  let n = end - start;
  while (n > 0 && s.charCodeAt(start + n - 1) === 0x3d) n--; // '='
  return Math.floor((n * 3) / 4);
}

function decodeBase64(s: string, start: number, end: number, out: Uint8Array, at: number): number {
  let bits = 0;
  let nbits = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d) break;
    const v = base64Values[c];
    if (v < 0) throw new Error(`bad base64 in rank file at ${i}`);
    bits = (bits << 6) | v;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out[at + n++] = (bits >> nbits) & 0xff;
    }
  }
  return n;
}
