/**
 * A trained local model as stored on disk, and how it answers a chat request.
 * classifier: picks one of the answers seen in training (argmax, or sampled when temperature > 0);
 * retriever: answers with the answer of the most similar training prompt (sampled among the 5 nearest).
 */
import { hashedCounts, promptText, vectorFromCounts, type PromptMessage } from './features.js';
import { SoftmaxClassifier, argmax, type ClassifierJson } from './softmax-classifier.js';
import { Retriever, type RetrieverJson } from './retriever.js';
import { seededRandom, fnv1a } from '../random.js';

export type ModelBody = { kind: 'classifier'; classifier: ClassifierJson } | { kind: 'retriever'; retriever: RetrieverJson };

export interface TrainedModelFile {
  id: string;
  base: string;
  created: number;
  jobId: string;
  body: ModelBody;
}

export interface PredictOptions {
  temperature?: number;
  seed?: number;
  /** How many answers to draw (chat's `n`); choice i samples with seed + i. */
  n?: number;
}

/** A loaded model, ready to answer (weights are parsed once and cached by the model store). */
export class LoadedModel {
  readonly file: TrainedModelFile;
  private readonly classifier?: SoftmaxClassifier;
  private readonly retriever?: Retriever;

  constructor(file: TrainedModelFile) {
    this.file = file;
    if (file.body.kind === 'classifier') this.classifier = SoftmaxClassifier.fromJSON(file.body.classifier);
    else this.retriever = new Retriever(file.body.retriever);
  }

  answer(messages: PromptMessage[], options: PredictOptions = {}): string {
    const prompt = promptText(messages);
    return this.answers(prompt, hashedCounts(prompt), { ...options, n: 1 })[0];
  }

  /**
   * `n` answers to a prompt whose word counts are given (gathered in slices for a long prompt). The model
   * runs once; only the sampling repeats. Sampling is seeded by the request seed, else by the prompt, so
   * the same request gives the same answers.
   */
  answers(prompt: string, counts: Map<number, number>, options: PredictOptions = {}): string[] {
    const temperature = options.temperature ?? 1;
    const seed = options.seed ?? fnv1a(prompt);
    const draw = (sampleOne: (random: () => number) => string) => Array.from({ length: options.n ?? 1 }, (_, i) => sampleOne(seededRandom(seed + i)));
    if (this.classifier) {
      const labels = this.classifier.labels;
      const x = vectorFromCounts(counts);
      if (temperature <= 0) return draw(() => labels[argmax(this.classifier!.logits(x))]);
      const probabilities = this.classifier.probabilities(x, temperature);
      return draw((random) => labels[sample(probabilities, random)]);
    }
    const retriever = this.retriever!;
    const neighbours = retriever.nearest(retriever.vectorizeCounts(counts), temperature <= 0 ? 1 : 5);
    if (neighbours.length === 0) return draw(() => '');
    if (temperature <= 0) return draw(() => neighbours[0].answer);
    const weights = neighbours.map((n) => Math.exp((n.similarity * 10) / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    return draw((random) => neighbours[sample(weights.map((w) => w / total), random)].answer);
  }
}

function sample(probabilities: ArrayLike<number>, random: () => number): number {
  let r = random();
  for (let i = 0; i < probabilities.length; i++) {
    r -= probabilities[i];
    if (r <= 0) return i;
  }
  return probabilities.length - 1;
}
