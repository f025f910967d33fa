/**
 * Nearest-neighbour "model" for free-form answers: TF-IDF cosine over the training prompts, answering
 * with the answer of the most similar prompt. Training adds examples to the index batch by batch; the loss
 * of a batch is measured before it is added (1 − cosine between the retrieved and the true answer).
 */
import { featureVector, hashedCounts, type SparseVector } from './features.js';

export interface RetrieverJson {
  /** Document frequency per bucket over the training prompts, and the number of prompts. */
  documentFrequency: Array<[number, number]>;
  documents: number;
  entries: Array<{ x: SparseVector; answer: string }>;
}

export class Retriever {
  private readonly documentFrequency: Map<number, number>;
  private readonly documents: number;
  private readonly entries: Array<{ x: SparseVector; answer: string }>;
  /** bucket → entry indices holding it, so a query only touches prompts that share a word. */
  private readonly postings = new Map<number, number[]>();

  constructor(json: RetrieverJson) {
    this.documentFrequency = new Map(json.documentFrequency);
    this.documents = json.documents;
    this.entries = [];
    for (const entry of json.entries) this.add(entry.x, entry.answer);
  }

  /** An empty index whose IDF is fitted on all training prompts up front (like fitting a vectorizer). */
  static fit(prompts: string[]): Retriever {
    const df = new Map<number, number>();
    for (const prompt of prompts) for (const index of hashedCounts(prompt).keys()) df.set(index, (df.get(index) ?? 0) + 1);
    return new Retriever({ documentFrequency: [...df], documents: prompts.length, entries: [] });
  }

  get size(): number {
    return this.entries.length;
  }

  vectorize(prompt: string): SparseVector {
    return featureVector(prompt, (index) => Math.log((1 + this.documents) / (1 + (this.documentFrequency.get(index) ?? 0))) + 1);
  }

  add(x: SparseVector, answer: string): void {
    const at = this.entries.length;
    this.entries.push({ x, answer });
    for (const index of x.indices) {
      let list = this.postings.get(index);
      if (!list) this.postings.set(index, (list = []));
      list.push(at);
    }
  }

  /** The k most similar entries, best first. */
  nearest(query: SparseVector, k: number): Array<{ answer: string; similarity: number }> {
    const scores = new Map<number, number>();
    for (let i = 0; i < query.indices.length; i++) {
      const list = this.postings.get(query.indices[i]);
      if (!list) continue;
      const q = query.values[i];
      for (const at of list) {
        const entry = this.entries[at];
        const position = entry.x.indices.indexOf(query.indices[i]);
        scores.set(at, (scores.get(at) ?? 0) + q * entry.x.values[position]);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([at, similarity]) => ({ answer: this.entries[at].answer, similarity }));
  }

  toJSON(): RetrieverJson {
    return { documentFrequency: [...this.documentFrequency], documents: this.documents, entries: this.entries };
  }
}
