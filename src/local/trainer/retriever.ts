/**
 * Nearest-neighbour "model" for free-form answers: TF-IDF cosine over the training prompts, answering
 * with the answer of the most similar prompt. Training adds examples to the index batch by batch; the loss
 * of a batch is measured before it is added (1 − cosine between the retrieved and the true answer).
 *
 * Cost: a word in every training prompt (a shared system prompt, the role tags) has IDF 0, so it is in no
 * vector and no posting list; the top k are found with MaxScore (rare, high-weight words first; once the
 * k-th best score beats what the remaining words could add, no new candidates are taken), exactly the
 * same k as scoring every entry, without touching most of them.
 */
import { featureVector, hashedCounts, vectorFromCounts, type SparseVector } from './features.js';

export interface RetrieverJson {
  /** Document frequency per bucket over the training prompts, and the number of prompts. */
  documentFrequency: Array<[number, number]>;
  documents: number;
  entries: Array<{ x: SparseVector; answer: string }>;
  /** Added to every IDF: 0 (a word in every prompt weighs nothing); absent in models of older versions (1). */
  idfOffset?: number;
}

interface Posting {
  entries: number[];
  values: number[];
  max: number;
}

export interface Neighbour {
  answer: string;
  similarity: number;
}

export class Retriever {
  private readonly documentFrequency: Map<number, number>;
  private readonly documents: number;
  private readonly idfOffset: number;
  private readonly entries: Array<{ x: SparseVector; answer: string }> = [];
  /** bucket → the entries holding it and their weights, so a query only touches prompts that share a word. */
  private readonly postings = new Map<number, Posting>();
  /** bucket → weight, per entry, to finish the scores of candidates without walking long posting lists. */
  private readonly weights: Array<Map<number, number>> = [];
  private readonly answerCounts = new Map<string, number>();

  constructor(json: RetrieverJson) {
    this.documentFrequency = new Map(json.documentFrequency);
    this.documents = json.documents;
    this.idfOffset = json.idfOffset ?? 1;
    for (const entry of json.entries) this.add(entry.x, entry.answer);
  }

  /** An empty index whose IDF is fitted on all training prompts up front (like fitting a vectorizer). */
  static fit(prompts: string[]): Retriever {
    const df = new Map<number, number>();
    for (const prompt of prompts) for (const index of hashedCounts(prompt).keys()) df.set(index, (df.get(index) ?? 0) + 1);
    return new Retriever({ documentFrequency: [...df], documents: prompts.length, entries: [], idfOffset: 0 });
  }

  get size(): number {
    return this.entries.length;
  }

  vectorize(prompt: string): SparseVector {
    return featureVector(prompt, this.idf);
  }

  /** The vector of a prompt whose word counts were gathered elsewhere (in slices, for a long prompt). */
  vectorizeCounts(counts: Map<number, number>): SparseVector {
    return vectorFromCounts(counts, this.idf);
  }

  add(x: SparseVector, answer: string): void {
    const at = this.entries.length;
    this.entries.push({ x, answer });
    const weights = new Map<number, number>();
    for (let i = 0; i < x.indices.length; i++) {
      const index = x.indices[i];
      weights.set(index, x.values[i]);
      let posting = this.postings.get(index);
      if (!posting) this.postings.set(index, (posting = { entries: [], values: [], max: 0 }));
      posting.entries.push(at);
      posting.values.push(x.values[i]);
      posting.max = Math.max(posting.max, x.values[i]);
    }
    this.weights.push(weights);
    this.answerCounts.set(answer, (this.answerCounts.get(answer) ?? 0) + 1);
  }

  /** The k most similar entries, best first (ties: the earlier entry). A query sharing no word gets the most common answer. */
  nearest(query: SparseVector, k: number): Neighbour[] {
    const terms: Array<{ index: number; q: number; posting: Posting; bound: number }> = [];
    for (let i = 0; i < query.indices.length; i++) {
      const posting = this.postings.get(query.indices[i]);
      if (posting) terms.push({ index: query.indices[i], q: query.values[i], posting, bound: query.values[i] * posting.max });
    }
    terms.sort((a, b) => b.bound - a.bound || a.index - b.index);
    // rest[i]: the most that terms i.. can add to the score of an entry none of terms 0..i-1 holds.
    const rest = new Array<number>(terms.length + 1).fill(0);
    for (let i = terms.length - 1; i >= 0; i--) rest[i] = rest[i + 1] + terms[i].bound;
    const scores = this.scratch();
    const candidates: number[] = [];
    let open = true;
    for (let t = 0; t < terms.length; t++) {
      const { q, posting, index } = terms[t];
      // Closing is worth checking only when this posting list is longer than the candidate list.
      if (open && candidates.length >= k && posting.entries.length > candidates.length && topK(scores, candidates, k).at(-1)! > rest[t]) open = false;
      if (open || posting.entries.length <= candidates.length) {
        for (let p = 0; p < posting.entries.length; p++) {
          const at = posting.entries[p];
          if (scores[at] > 0) scores[at] += q * posting.values[p];
          else if (open) {
            scores[at] = q * posting.values[p];
            candidates.push(at);
          }
        }
      } else {
        for (const at of candidates) {
          const weight = this.weights[at].get(index);
          if (weight !== undefined) scores[at] += q * weight;
        }
      }
    }
    const best = topK(scores, candidates, k);
    const ranked = candidates.filter((at) => scores[at] >= best.at(-1)!);
    const result = ranked
      .map((at) => ({ at, similarity: scores[at] }))
      .sort((a, b) => b.similarity - a.similarity || a.at - b.at)
      .slice(0, k)
      .map(({ at, similarity }) => ({ answer: this.entries[at].answer, similarity }));
    for (const at of candidates) scores[at] = 0;
    return result.length > 0 ? result : this.fallback();
  }

  /** A zeroed score per entry, reused across queries (every score touched is reset before returning). */
  private scores = new Float64Array(0);

  private scratch(): Float64Array {
    if (this.scores.length < this.entries.length) this.scores = new Float64Array(Math.max(1024, this.entries.length * 2));
    return this.scores;
  }

  toJSON(): RetrieverJson {
    return { documentFrequency: [...this.documentFrequency], documents: this.documents, entries: this.entries, idfOffset: this.idfOffset };
  }

  private readonly idf = (index: number): number => Math.log((1 + this.documents) / (1 + (this.documentFrequency.get(index) ?? 0))) + this.idfOffset;

  private fallback(): Neighbour[] {
    let best: string | undefined;
    for (const [answer, count] of this.answerCounts) if (best === undefined || count > this.answerCounts.get(best)!) best = answer;
    return best === undefined ? [] : [{ answer: best, similarity: 0 }];
  }
}

/** The k largest scores among the candidates, largest first (k is 1 in training, at most 5 in chat). */
function topK(scores: Float64Array, candidates: number[], k: number): number[] {
  const top: number[] = [];
  for (const at of candidates) {
    const score = scores[at];
    if (top.length === k && score <= top[k - 1]) continue;
    let i = top.length < k ? top.length : k - 1;
    while (i > 0 && top[i - 1] < score) {
      top[i] = top[i - 1];
      i--;
    }
    top[i] = score;
  }
  return top;
}
