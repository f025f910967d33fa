/**
 * The number of tokens tiktoken's byte_pair_encode gives for a piece that is not a token itself:
 * repeatedly merge the adjacent pair whose concatenation has the lowest rank (the leftmost on ties)
 * until no pair is a token. Short pieces use a plain array (what tiktoken does below 100 bytes); long
 * ones a heap of candidate merges (tiktoken's _byte_pair_merge_large), so a 100 KB piece without a
 * break costs O(n log n), not O(n²). Both give the same merges. Every single byte is a token in the
 * encodings counted here, so the count is the number of parts left.
 */
import type { RankTable } from './bpe.js';

/** Below this many bytes the array scan beats the heap (tiktoken's threshold). */
const LARGE_PIECE = 100;

/** `bytes`: char codes of the piece's UTF-8 bytes (ASCII text, or a latin1 string of the bytes). */
export function bytePairCount(bytes: string, ranks: RankTable): number {
  const n = bytes.length;
  if (n <= 1) return n;
  return n < LARGE_PIECE ? smallPieceStarts(bytes, ranks).length - 1 : largePieceMerge(bytes, ranks).parts;
}

/** Where the tokens of the piece start, and last its length (the same merges, for code that needs the tokens). */
export function bytePairParts(bytes: string, ranks: RankTable): number[] {
  const n = bytes.length;
  if (n <= 1) return n === 0 ? [0] : [0, 1];
  if (n < LARGE_PIECE) return smallPieceStarts(bytes, ranks);
  const { next } = largePieceMerge(bytes, ranks);
  const starts: number[] = [];
  for (let i = 0; i < n; i = next[i]) starts.push(i);
  starts.push(n);
  return starts;
}

function smallPieceStarts(bytes: string, ranks: RankTable): number[] {
  const n = bytes.length;
  // starts[i] is where part i begins (starts[parts] === n); pair[i] ranks parts i and i+1 merged (-1: not a token).
  const starts: number[] = new Array(n + 1);
  for (let i = 0; i <= n; i++) starts[i] = i;
  const pair: number[] = new Array(n - 1);
  for (let i = 0; i < n - 1; i++) pair[i] = ranks.rank(bytes, i, i + 2);
  for (;;) {
    let at = -1;
    let min = 0;
    for (let i = 0; i < pair.length; i++) {
      const r = pair[i];
      if (r >= 0 && (at < 0 || r < min)) {
        min = r;
        at = i;
      }
    }
    if (at < 0) return starts;
    starts.splice(at + 1, 1);
    pair.splice(at + 1, 1);
    if (at + 1 < starts.length - 1) pair[at] = ranks.rank(bytes, starts[at], starts[at + 2]);
    else pair.length = at; // the merged part is the last one: no pair starts at it
    if (at > 0) pair[at - 1] = ranks.rank(bytes, starts[at - 1], starts[at + 1]);
  }
}

/**
 * Parts are a linked list over their start offsets; every start sits once in an indexed min-heap
 * ordered by (rank of merging it with the next part, start), NONE when that is not a token or the
 * part is gone, so the top is the next merge until it is NONE. ~20 bytes per input byte.
 */
function largePieceMerge(bytes: string, ranks: RankTable): { next: Int32Array; parts: number } {
  const n = bytes.length;
  const next = new Int32Array(n); // start of the next part (n: none)
  const prev = new Int32Array(n); // start of the previous part (-1: none)
  const rank = new Int32Array(n); // rank of this part merged with the next (NONE: not a token)
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    const r = i + 1 < n ? ranks.rank(bytes, i, i + 2) : -1;
    rank[i] = r < 0 ? NONE : r;
  }
  const heap = new MergeHeap(rank);
  const rankOf = (start: number, end: number) => {
    const r = ranks.rank(bytes, start, end);
    return r < 0 ? NONE : r;
  };
  let parts = n;
  for (let left = heap.top(); rank[left] !== NONE; left = heap.top()) {
    const right = next[left];
    const end = next[right];
    next[left] = end;
    if (end < n) prev[end] = left;
    parts--;
    heap.set(right, NONE);
    heap.set(left, end < n ? rankOf(left, next[end]) : NONE);
    const before = prev[left];
    if (before >= 0) heap.set(before, rankOf(before, end));
  }
  return { next, parts };
}

const NONE = 0x7fffffff;

/** A min-heap of all part starts keyed by (rank[start], start); set() changes one key and re-places it. */
class MergeHeap {
  private readonly items: Int32Array;
  private readonly position: Int32Array; // where a start sits in items

  constructor(private readonly rank: Int32Array) {
    const n = rank.length;
    this.items = new Int32Array(n);
    this.position = new Int32Array(n);
    for (let i = 0; i < n; i++) this.items[i] = this.position[i] = i;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i);
  }

  top(): number {
    return this.items[0];
  }

  set(start: number, rank: number): void {
    const old = this.rank[start];
    if (old === rank) return;
    this.rank[start] = rank;
    if (rank < old) this.up(this.position[start]);
    else this.down(this.position[start]);
  }

  private up(at: number): void {
    const { items, position, rank } = this;
    const item = items[at];
    const r = rank[item];
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const p = items[parent];
      const rp = rank[p];
      if (rp < r || (rp === r && p < item)) break;
      items[at] = p;
      position[p] = at;
      at = parent;
    }
    items[at] = item;
    position[item] = at;
  }

  private down(at: number): void {
    const { items, position, rank } = this;
    const size = items.length;
    const item = items[at];
    const r = rank[item];
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      let c = items[child];
      let rc = rank[c];
      if (child + 1 < size) {
        const d = items[child + 1];
        const rd = rank[d];
        if (rd < rc || (rd === rc && d < c)) {
          child++;
          c = d;
          rc = rd;
        }
      }
      if (r < rc || (r === rc && item < c)) break;
      items[at] = c;
      position[c] = at;
      at = child;
    }
    items[at] = item;
    position[item] = at;
  }
}
