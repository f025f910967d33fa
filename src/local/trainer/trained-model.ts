/**
 * A trained local model as stored on disk, and how it answers a chat request.
 * classifier: picks one of the answers seen in training (argmax, or sampled when temperature > 0);
 * retriever: answers with the answer of the most similar training prompt.
 */
import { featureVector, promptText, type PromptMessage } from './features.js';
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
    const temperature = options.temperature ?? 1;
    // Sampling is seeded by the request seed, else by the prompt, so the same request gives the same answer.
    const random = seededRandom(options.seed ?? fnv1a(prompt));
    if (this.classifier) {
      const x = featureVector(prompt);
      if (temperature <= 0) return this.classifier.labels[argmax(this.classifier.logits(x))];
      return this.classifier.labels[sample(this.classifier.probabilities(x, temperature), random)];
    }
    const retriever = this.retriever!;
    const neighbours = retriever.nearest(retriever.vectorize(prompt), temperature <= 0 ? 1 : 5);
    if (neighbours.length === 0) return '';
    if (temperature <= 0) return neighbours[0].answer;
    const weights = neighbours.map((n) => Math.exp((n.similarity * 10) / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    return neighbours[sample(weights.map((w) => w / total), random)].answer;
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
