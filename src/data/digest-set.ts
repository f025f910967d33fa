/**
 * A set of 96-bit digests in flat typed arrays (open addressing, linear probing): about 26 bytes per
 * entry at worst instead of ~180 for a Set of strings, so deduplicating a million examples stays
 * within the data stages' memory budget. 96 bits: a false "seen before" among 10^9 keys has a chance
 * of ~10^-11.
 */
const WORDS = 3;

export class DigestSet {
  private keys: Uint32Array;
  private used: Uint8Array;
  private count = 0;

  constructor(private capacity = 1 << 16) {
    this.keys = new Uint32Array(capacity * WORDS);
    this.used = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds the digest (≥ 12 bytes; the first 12 are used); true when it was already there. */
  addIfAbsent(digest: Uint8Array): boolean {
    const view = new DataView(digest.buffer, digest.byteOffset, WORDS * 4);
    const a = view.getUint32(0, true);
    const b = view.getUint32(4, true);
    const c = view.getUint32(8, true);
    if (this.find(a, b, c) >= 0) return true;
    if ((this.count + 1) * 2 > this.capacity) this.grow();
    this.insert(a, b, c);
    return false;
  }

  private find(a: number, b: number, c: number): number {
    const mask = this.capacity - 1;
    for (let slot = a & mask; this.used[slot]; slot = (slot + 1) & mask) {
      const i = slot * WORDS;
      if (this.keys[i] === a && this.keys[i + 1] === b && this.keys[i + 2] === c) return slot;
    }
    return -1;
  }

  private insert(a: number, b: number, c: number): void {
    const mask = this.capacity - 1;
    let slot = a & mask;
    while (this.used[slot]) slot = (slot + 1) & mask;
    this.used[slot] = 1;
    this.keys.set([a, b, c], slot * WORDS);
    this.count++;
  }

  private grow(): void {
    const { keys, used } = this;
    this.capacity *= 2;
    this.keys = new Uint32Array(this.capacity * WORDS);
    this.used = new Uint8Array(this.capacity);
    this.count = 0;
    for (let slot = 0; slot < used.length; slot++) {
      if (used[slot]) this.insert(keys[slot * WORDS], keys[slot * WORDS + 1], keys[slot * WORDS + 2]);
    }
  }
}
