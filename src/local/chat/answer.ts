/**
 * What a model says. A fine-tuned model runs its trained classifier / retriever; a base model has learned
 * nothing on this machine and says so in one fixed sentence (it must never score on an eval).
 * A long prompt's features are gathered slice by slice, with a turn between slices (compute-budget.ts).
 */
import type { ModelStore } from '../state/model-store.js';
import { addHashedCounts, promptText, type PromptMessage } from '../trainer/features.js';
import type { ComputeBudget } from './compute-budget.js';
import { textSlices } from './text-slices.js';

export function baseModelAnswer(model: string): string {
  return `This is the untrained local base model ${model}; fine-tune it to get answers.`;
}

export async function answersFor(
  models: ModelStore,
  model: string,
  messages: PromptMessage[],
  options: { temperature: number; seed?: number; n: number },
  budget: ComputeBudget,
): Promise<string[]> {
  const trained = models.load(model);
  if (!trained) return Array.from({ length: options.n }, () => baseModelAnswer(model));
  const prompt = promptText(messages);
  const counts = new Map<number, number>();
  let previous: string | undefined;
  for (const slice of textSlices(prompt)) {
    previous = addHashedCounts(counts, slice, previous);
    await budget.turn();
  }
  return trained.answers(prompt, counts, options);
}

/** Cut the answer at the first stop sequence, as OpenAI does (the stop text itself is not returned). */
export function applyStop(text: string, stop: string[]): { text: string; stopped: boolean } {
  let cut = -1;
  for (const s of stop) {
    const at = s === '' ? -1 : text.indexOf(s);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  return cut === -1 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}
