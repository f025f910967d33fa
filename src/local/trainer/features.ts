/**
 * Text → sparse feature vector: lower-cased word unigrams and bigrams hashed into 2^18 buckets,
 * weighted 1 + ln(count) and L2-normalised. Small, fast and good enough to learn labels from short texts.
 */
import { fnv1a } from '../random.js';

export const FEATURE_BITS = 18;
const FEATURE_MASK = (1 << FEATURE_BITS) - 1;

export interface SparseVector {
  indices: number[];
  values: number[];
}

export interface PromptMessage {
  role: string;
  content?: unknown;
}

/** The words of a text: letters and digits, so "blk_123" and "10.0.0.1" keep their parts. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** The text the model conditions on: every message's content, tagged with its role so roles do not blur. */
export function promptText(messages: PromptMessage[]): string {
  return messages.map((m) => `${m.role}: ${contentText(m.content)}`).join('\n');
}

export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join(' ');
  return '';
}

export function hashedCounts(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  addHashedCounts(counts, text);
  return counts;
}

/**
 * Adds the unigrams and bigrams of `text` to `counts`, continuing after `previousWord` (the last word of
 * the text before, when a long text is counted in slices); returns the last word.
 */
export function addHashedCounts(counts: Map<number, number>, text: string, previousWord?: string): string | undefined {
  const tokens = words(text);
  const add = (feature: string) => {
    const index = fnv1a(feature) & FEATURE_MASK;
    counts.set(index, (counts.get(index) ?? 0) + 1);
  };
  let previous = previousWord;
  for (const token of tokens) {
    add(token);
    if (previous !== undefined) add(`${previous} ${token}`);
    previous = token;
  }
  return previous;
}

/** Weighted, L2-normalised vector; `idf` (per bucket) turns it into TF-IDF. */
export function featureVector(text: string, idf?: (index: number) => number): SparseVector {
  return vectorFromCounts(hashedCounts(text), idf);
}

export function vectorFromCounts(counts: Map<number, number>, idf?: (index: number) => number): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [index, count] of counts) {
    const value = (1 + Math.log(count)) * (idf ? idf(index) : 1);
    if (value === 0) continue;
    indices.push(index);
    values.push(value);
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i] /= norm;
  return { indices, values };
}

export function dot(a: SparseVector, b: SparseVector): number {
  const map = new Map<number, number>();
  for (let i = 0; i < a.indices.length; i++) map.set(a.indices[i], a.values[i]);
  let sum = 0;
  for (let i = 0; i < b.indices.length; i++) sum += (map.get(b.indices[i]) ?? 0) * b.values[i];
  return sum;
}
