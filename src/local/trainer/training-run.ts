/**
 * One training run, step by step, so the caller can yield to the event loop, report metrics events and
 * stop on cancel between steps. Deterministic: the example order comes from the job's seed.
 */
import { dot, featureVector, words, type SparseVector } from './features.js';
import { SoftmaxClassifier, type LabelledVector } from './softmax-classifier.js';
import { Retriever } from './retriever.js';
import type { ModelBody } from './trained-model.js';
import type { ResolvedHyperparameters } from './hyperparameters.js';
import { seededRandom, shuffledIndices } from '../random.js';

/** SGD step size at learning_rate_multiplier 1 (features are L2-normalised, so this is a safe scale). */
export const BASE_LEARNING_RATE = 0.5;
/** Up to this many distinct answers (each seen at least twice on average) are treated as labels. */
export const MAX_LABELS = 50;

export interface TrainingExample {
  prompt: string;
  answer: string;
}

export interface StepMetrics {
  step: number;
  total_steps: number;
  train_loss: number;
  train_mean_token_accuracy: number;
  valid_loss?: number;
  valid_mean_token_accuracy?: number;
}

export function chooseKind(examples: TrainingExample[]): 'classifier' | 'retriever' {
  const distinct = new Set(examples.map((e) => e.answer)).size;
  return distinct <= MAX_LABELS && examples.length >= 2 * distinct ? 'classifier' : 'retriever';
}

export class TrainingRun {
  readonly kind: 'classifier' | 'retriever';
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  private stepIndex = 0;
  private order: number[] = [];
  private validCursor = 0;
  private readonly random: () => number;
  private readonly classifier?: SoftmaxClassifier;
  private readonly retriever?: Retriever;
  private readonly train: Array<LabelledVector & { answer: string }>;
  private readonly valid: Array<LabelledVector & { answer: string }>;
  private readonly indexed = new Set<number>();
  private readonly settled = new Map<object, { loss: number; correct: boolean }>();

  constructor(
    trainExamples: TrainingExample[],
    validExamples: TrainingExample[],
    private readonly hyper: ResolvedHyperparameters,
    seed: number,
  ) {
    this.kind = chooseKind(trainExamples);
    this.random = seededRandom(seed);
    this.stepsPerEpoch = Math.ceil(trainExamples.length / hyper.batch_size);
    this.totalSteps = this.stepsPerEpoch * hyper.n_epochs;
    const labels = [...new Set(trainExamples.map((e) => e.answer))].sort();
    if (this.kind === 'classifier') this.classifier = new SoftmaxClassifier(labels);
    else this.retriever = Retriever.fit(trainExamples.map((e) => e.prompt));
    const vectorize = (e: TrainingExample) => ({
      x: this.retriever ? this.retriever.vectorize(e.prompt) : featureVector(e.prompt),
      y: labels.indexOf(e.answer),
      answer: e.answer,
    });
    this.train = trainExamples.map(vectorize);
    this.valid = validExamples.map(vectorize);
  }

  get done(): boolean {
    return this.stepIndex >= this.totalSteps;
  }

  /** True right after the last step of an epoch (a checkpoint is due). */
  get atEpochEnd(): boolean {
    return this.stepIndex > 0 && this.stepIndex % this.stepsPerEpoch === 0;
  }

  get hasValidation(): boolean {
    return this.valid.length > 0;
  }

  step(): StepMetrics {
    const inEpoch = this.stepIndex % this.stepsPerEpoch;
    if (inEpoch === 0) this.order = shuffledIndices(this.train.length, this.random);
    const batchIndices = this.order.slice(inEpoch * this.hyper.batch_size, (inEpoch + 1) * this.hyper.batch_size);
    const batch = batchIndices.map((i) => this.train[i]);
    const learningRate = BASE_LEARNING_RATE * this.hyper.learning_rate_multiplier;
    const trained = this.classifier ? this.classifier.step(batch, learningRate) : this.indexBatch(batchIndices);
    this.stepIndex++;
    const metrics: StepMetrics = { step: this.stepIndex, total_steps: this.totalSteps, train_loss: trained.loss, train_mean_token_accuracy: trained.accuracy };
    if (this.valid.length > 0) {
      // Like OpenAI, each step scores one validation batch; full validation runs at checkpoints.
      const size = Math.min(this.hyper.batch_size, this.valid.length);
      const validBatch = Array.from({ length: size }, (_, i) => this.valid[(this.validCursor + i) % this.valid.length]);
      this.validCursor = (this.validCursor + size) % this.valid.length;
      const scored = this.score(validBatch);
      metrics.valid_loss = scored.loss;
      metrics.valid_mean_token_accuracy = scored.accuracy;
    }
    return metrics;
  }

  fullValidation(): { loss: number; accuracy: number } | undefined {
    return this.valid.length > 0 ? this.score(this.valid) : undefined;
  }

  snapshot(): ModelBody {
    if (this.classifier) return { kind: 'classifier', classifier: this.classifier.toJSON() };
    // In training-file order, so ties between equally similar prompts do not depend on the shuffle.
    const entries = [...this.indexed].sort((a, b) => a - b).map((i) => ({ x: this.train[i].x, answer: this.train[i].answer }));
    return { kind: 'retriever', retriever: { ...this.retriever!.toJSON(), entries } };
  }

  private score(examples: Array<LabelledVector & { answer: string }>): { loss: number; accuracy: number } {
    if (this.classifier) return this.classifier.score(examples);
    let loss = 0;
    let correct = 0;
    // Once every example is indexed the index no longer changes: later epochs repeat the same lookups.
    const complete = this.indexed.size === this.train.length;
    for (const e of examples) {
      let result = complete ? this.settled.get(e) : undefined;
      if (!result) {
        result = this.retrieve(e.x, e.answer);
        if (complete) this.settled.set(e, result);
      }
      loss += result.loss;
      correct += result.correct ? 1 : 0;
    }
    return { loss: loss / examples.length, accuracy: correct / examples.length };
  }

  /** Retriever "training": score the batch against the index so far, then add it. */
  private indexBatch(indices: number[]): { loss: number; accuracy: number } {
    const scored = this.score(indices.map((i) => this.train[i]));
    for (const i of indices) {
      if (this.indexed.has(i)) continue;
      this.indexed.add(i);
      this.retriever!.add(this.train[i].x, this.train[i].answer);
    }
    return scored;
  }

  private retrieve(x: SparseVector, truth: string): { loss: number; correct: boolean } {
    const best = this.retriever!.nearest(x, 1)[0]?.answer ?? '';
    const similarity = answerSimilarity(best, truth);
    return { loss: 1 - similarity, correct: normalize(best) === normalize(truth) };
  }
}

/** Cosine similarity of two answers' word vectors: 1 for the same words, 0 for nothing in common. */
function answerSimilarity(a: string, b: string): number {
  if (words(a).length === 0 || words(b).length === 0) return normalize(a) === normalize(b) ? 1 : 0;
  return Math.max(0, Math.min(1, dot(featureVector(a), featureVector(b))));
}

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
