/**
 * Multinomial logistic regression over sparse hashed features, trained by mini-batch SGD.
 * Weights are stored only for buckets that occur (a Map of per-label rows), so 2^18 dims cost nothing.
 */
import type { SparseVector } from './features.js';

/** Probabilities below this are clamped so a label never seen in training has a finite loss. */
const MIN_PROBABILITY = 1e-7;
/** A little L2 decay keeps weights of rare buckets from growing without bound over many epochs. */
const WEIGHT_DECAY = 1e-4;

export interface LabelledVector {
  x: SparseVector;
  /** Index into labels, or -1 when the answer is not one of the labels (validation only). */
  y: number;
}

export interface ClassifierJson {
  labels: string[];
  bias: number[];
  weights: Array<[number, number[]]>;
}

export class SoftmaxClassifier {
  readonly labels: string[];
  private readonly bias: Float64Array;
  private readonly weights: Map<number, Float64Array>;

  constructor(labels: string[], bias?: number[], weights?: Array<[number, number[]]>) {
    this.labels = labels;
    this.bias = bias ? Float64Array.from(bias) : new Float64Array(labels.length);
    this.weights = new Map((weights ?? []).map(([index, row]) => [index, Float64Array.from(row)]));
  }

  static fromJSON(json: ClassifierJson): SoftmaxClassifier {
    return new SoftmaxClassifier(json.labels, json.bias, json.weights);
  }

  toJSON(): ClassifierJson {
    return { labels: this.labels, bias: [...this.bias], weights: [...this.weights].map(([index, row]) => [index, [...row]]) };
  }

  logits(x: SparseVector): Float64Array {
    const out = Float64Array.from(this.bias);
    for (let i = 0; i < x.indices.length; i++) {
      const row = this.weights.get(x.indices[i]);
      if (!row) continue;
      const v = x.values[i];
      for (let k = 0; k < out.length; k++) out[k] += row[k] * v;
    }
    return out;
  }

  probabilities(x: SparseVector, temperature = 1): Float64Array {
    return softmax(this.logits(x), temperature);
  }

  /** Cross-entropy and accuracy of a set of examples under the current weights. */
  score(examples: LabelledVector[]): { loss: number; accuracy: number } {
    let loss = 0;
    let correct = 0;
    for (const { x, y } of examples) {
      const p = this.probabilities(x);
      loss -= Math.log(Math.max(MIN_PROBABILITY, y >= 0 ? p[y] : 0));
      if (y >= 0 && argmax(p) === y) correct++;
    }
    const n = Math.max(1, examples.length);
    return { loss: loss / n, accuracy: correct / n };
  }

  /** One SGD step on a batch; returns the batch's loss and accuracy measured before the update. */
  step(batch: LabelledVector[], learningRate: number): { loss: number; accuracy: number } {
    const k = this.labels.length;
    let loss = 0;
    let correct = 0;
    const gradBias = new Float64Array(k);
    const gradRows = new Map<number, Float64Array>();
    for (const { x, y } of batch) {
      const p = this.probabilities(x);
      loss -= Math.log(Math.max(MIN_PROBABILITY, p[y]));
      if (argmax(p) === y) correct++;
      p[y] -= 1; // d(cross-entropy)/d(logits) = p - onehot(y)
      for (let c = 0; c < k; c++) gradBias[c] += p[c];
      for (let i = 0; i < x.indices.length; i++) {
        let row = gradRows.get(x.indices[i]);
        if (!row) gradRows.set(x.indices[i], (row = new Float64Array(k)));
        for (let c = 0; c < k; c++) row[c] += p[c] * x.values[i];
      }
    }
    const scale = learningRate / batch.length;
    for (let c = 0; c < k; c++) this.bias[c] -= scale * gradBias[c];
    for (const [index, grad] of gradRows) {
      let row = this.weights.get(index);
      if (!row) this.weights.set(index, (row = new Float64Array(k)));
      for (let c = 0; c < k; c++) row[c] = row[c] * (1 - learningRate * WEIGHT_DECAY) - scale * grad[c];
    }
    return { loss: loss / batch.length, accuracy: correct / batch.length };
  }
}

export function softmax(logits: Float64Array, temperature = 1): Float64Array {
  const t = temperature > 0 ? temperature : 1;
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp((logits[i] - max) / t);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
