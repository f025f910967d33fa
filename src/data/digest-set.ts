/**
 * A set of 96-bit digests in flat typed arrays (open addressing, linear probing): about 26 bytes per
 * entry at worst instead of ~180 for a Set of strings, so deduplicating a million examples stays
 * within the data stages' memory budget. 96 bits: a false "seen before" among 10^9 keys has a chance
 * of ~10^-11. Each entry can carry a few 32-bit words (valueWords), e.g. where it was first seen.
 */
const WORDS = 3;

export class DigestSet {
  private keys: Uint32Array;
  private used: Uint8Array;
  private values: Uint32Array;
  private count = 0;

  constructor(private capacity = 1 << 16, private readonly valueWords = 0) {
    this.keys = new Uint32Array(capacity * WORDS);
    this.used = new Uint8Array(capacity);
    this.values = new Uint32Array(capacity * valueWords);
  }

  get size(): number {
    return this.count;
  }

  /** Adds the digest (≥ 12 bytes; the first 12 are used); true when it was already there. */
  addIfAbsent(digest: Uint8Array): boolean {
    return this.findOrAdd(digest) >= 0;
  }

  /**
   * The slot of the digest when it was already there (read its words with value()), else -1 after
   * adding it with `values` as its words. A slot is valid until the next add.
   */
  findOrAdd(digest: Uint8Array, ...values: number[]): number {
    const [a, b, c] = words(digest);
    const slot = this.find(a, b, c);
    if (slot >= 0) return slot;
    if ((this.count + 1) * 2 > this.capacity) this.grow();
    const added = this.insert(a, b, c);
    for (let i = 0; i < this.valueWords; i++) this.values[added * this.valueWords + i] = values[i] ?? 0;
    return -1;
  }

  /** The slot of the digest, or -1 when it is not there. */
  lookup(digest: Uint8Array): number {
    const [a, b, c] = words(digest);
    return this.find(a, b, c);
  }

  value(slot: number, word = 0): number {
    return this.values[slot * this.valueWords + word];
  }

  /** Sets a word of an entry found with findOrAdd. */
  setValue(slot: number, word: number, value: number): void {
    this.values[slot * this.valueWords + word] = value;
  }

  /** Calls fn with every entry's slot (to read its words). */
  forEach(fn: (slot: number) => void): void {
    for (let slot = 0; slot < this.capacity; slot++) if (this.used[slot]) fn(slot);
  }

  private find(a: number, b: number, c: number): number {
    const mask = this.capacity - 1;
    for (let slot = a & mask; this.used[slot]; slot = (slot + 1) & mask) {
      const i = slot * WORDS;
      if (this.keys[i] === a && this.keys[i + 1] === b && this.keys[i + 2] === c) return slot;
    }
    return -1;
  }

  private insert(a: number, b: number, c: number): number {
    const mask = this.capacity - 1;
    let slot = a & mask;
    while (this.used[slot]) slot = (slot + 1) & mask;
    this.used[slot] = 1;
    const i = slot * WORDS;
    this.keys[i] = a;
    this.keys[i + 1] = b;
    this.keys[i + 2] = c;
    this.count++;
    return slot;
  }

  private grow(): void {
    const { keys, used, values, valueWords } = this;
    this.capacity *= 2;
    this.keys = new Uint32Array(this.capacity * WORDS);
    this.used = new Uint8Array(this.capacity);
    this.values = new Uint32Array(this.capacity * valueWords);
    this.count = 0;
    for (let slot = 0; slot < used.length; slot++) {
      if (!used[slot]) continue;
      const added = this.insert(keys[slot * WORDS], keys[slot * WORDS + 1], keys[slot * WORDS + 2]);
      for (let i = 0; i < valueWords; i++) this.values[added * valueWords + i] = values[slot * valueWords + i];
    }
  }
}

function words(digest: Uint8Array): [number, number, number] {
  const view = new DataView(digest.buffer, digest.byteOffset, WORDS * 4);
  return [view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true)];
}
