/**
 * Free-form (retriever) training examples with a Zipf-distributed vocabulary, like natural text: a few
 * words are everywhere, most are rare. Deterministic, so every run benchmarks the same examples.
 */
import type { TrainingExample } from '../src/local/trainer/training-run.js';
import { promptText } from '../src/local/trainer/features.js';

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'shi', 'po', 've', 'zu', 'an', 'el', 'or', 'ix', 'um', 'by', 'qua', 'dre', 'fli', 'gno'];

export interface FreeFormSet {
  examples: TrainingExample[];
  /** The same questions as chat messages, for requests to a server. */
  messages: Array<Array<{ role: 'system' | 'user'; content: string }>>;
}

/** `count` examples; with `sharedSystemWords`, every prompt starts with the same system prompt of that many words. */
export function freeFormExamples(count: number, sharedSystemWords = 0): FreeFormSet {
  let state = 42;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const vocabulary = Array.from({ length: 5000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  const word = () => vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.exp(random() * Math.log(vocabulary.length))) - 1)];
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const system = words(sharedSystemWords);
  state = 7; // the same questions and answers with and without the system prompt
  const messages: FreeFormSet['messages'] = [];
  const examples: TrainingExample[] = [];
  for (let i = 0; i < count; i++) {
    const question = [...(sharedSystemWords > 0 ? [{ role: 'system' as const, content: system }] : []), { role: 'user' as const, content: words(25) }];
    messages.push(question);
    examples.push({ prompt: promptText(question), answer: words(12) });
  }
  return { examples, messages };
}
