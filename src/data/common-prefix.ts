/**
 * The longest common prefix of a stream of texts, kept as one running string (memory does not grow
 * with the number of texts), and where it may be cut without splitting a word.
 */

/** Whitespace or punctuation: a prefix ending in one of these ends between words. */
const BOUNDARY = /[\s\p{P}]/u;

export class CommonPrefix {
  private prefix: string | null = null;
  private texts = 0;

  /** Narrows the prefix to what `text` shares with every earlier text. */
  add(text: string): void {
    this.texts++;
    if (this.prefix === null) {
      this.prefix = text;
      return;
    }
    const p = this.prefix;
    const n = Math.min(p.length, text.length);
    let i = 0;
    while (i < n && p.charCodeAt(i) === text.charCodeAt(i)) i++;
    if (i < p.length) this.prefix = p.slice(0, i);
  }

  /** Texts seen so far. */
  get count(): number {
    return this.texts;
  }

  /** The raw longest common prefix ('' before any text). */
  get value(): string {
    return this.prefix ?? '';
  }
}

/**
 * The longest part of `prefix` that ends at a word boundary (its last character is whitespace or
 * punctuation), or '' when that is shorter than `minChars`.
 */
export function cutAtWordBoundary(prefix: string, minChars: number): string {
  let end = prefix.length;
  while (end > 0 && !BOUNDARY.test(prefix[end - 1])) end--;
  return end >= minChars && end > 0 ? prefix.slice(0, end) : '';
}

/** Index of the message a common prefix is taken from and stripped of: the first `user` message (-1: none). */
export function prefixTarget(messages: ReadonlyArray<{ role: string; content?: unknown }>): number {
  return messages.findIndex((m) => m.role === 'user');
}
