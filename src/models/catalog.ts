/**
 * What ftpipe knows about base models: tokenizer, limits, training price, retirement.
 * Prices and dates are as published by the provider on `asOf`; update this table (and asOf) when they change.
 * Source: OpenAI's fine-tuning guide and pricing page; deprecations page (retirements of 2027-01-14).
 */
export const catalogAsOf = '2026-11-01';

/** OpenAI stops creating new self-serve fine-tuning jobs on this date. */
export const openaiFineTuningEndDate = '2027-01-06';

export interface ModelFacts {
  /** Model id or snapshot prefix (matched longest-prefix first). */
  id: string;
  encoding: 'o200k_base' | 'cl100k_base';
  /** Max tokens of one training example (longer ones are truncated, not rejected). */
  trainingExampleLimit: number;
  /** USD per 1M training tokens (SFT). */
  trainingPricePerMTok?: number;
  /** ISO date the snapshot is retired, where announced. */
  shutdownDate?: string;
  fineTunable: boolean;
}

export const modelCatalog: ModelFacts[] = [
  { id: 'gpt-4.1-nano-2025-04-14', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 1.5, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4.1-mini-2025-04-14', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 5, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4.1-2025-04-14', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 25, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4.1-nano', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 1.5, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4.1-mini', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 5, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4.1', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 25, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4o-mini-2024-07-18', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 3, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4o-2024-08-06', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 25, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4o-mini', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 3, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-4o', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 25, shutdownDate: '2027-01-14', fineTunable: true },
  { id: 'gpt-3.5-turbo-0125', encoding: 'cl100k_base', trainingExampleLimit: 16_385, trainingPricePerMTok: 8, fineTunable: true },
  { id: 'gpt-3.5-turbo-1106', encoding: 'cl100k_base', trainingExampleLimit: 16_385, trainingPricePerMTok: 8, fineTunable: true },
  { id: 'gpt-3.5-turbo-0613', encoding: 'cl100k_base', trainingExampleLimit: 4_096, trainingPricePerMTok: 8, fineTunable: true },
  { id: 'gpt-3.5-turbo', encoding: 'cl100k_base', trainingExampleLimit: 16_385, trainingPricePerMTok: 8, fineTunable: true },
  { id: 'gpt-4-0613', encoding: 'cl100k_base', trainingExampleLimit: 8_192, fineTunable: false },
  { id: 'gpt-4', encoding: 'cl100k_base', trainingExampleLimit: 8_192, fineTunable: false },
  { id: 'davinci-002', encoding: 'cl100k_base', trainingExampleLimit: 16_384, trainingPricePerMTok: 6, fineTunable: true },
  { id: 'babbage-002', encoding: 'cl100k_base', trainingExampleLimit: 16_384, trainingPricePerMTok: 0.4, fineTunable: true },
  // The local provider's models: free, trained on this machine.
  { id: 'local', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 0, fineTunable: true },
];

/** Facts for a model id: exact match, else longest prefix; fine-tuned ids (ft:<base>:…) use their base. */
export function modelFacts(model: string): ModelFacts | undefined {
  const base = model.startsWith('ft:') ? model.split(':')[1] : model;
  const exact = modelCatalog.find((m) => m.id === base);
  if (exact) return exact;
  return [...modelCatalog].sort((a, b) => b.id.length - a.id.length).find((m) => base.startsWith(m.id));
}

/** Encoding for token counts: o200k_base for gpt-4o/4.1 and unknown new models, cl100k_base for gpt-3.5/4. */
export function encodingFor(model: string): 'o200k_base' | 'cl100k_base' {
  return modelFacts(model)?.encoding ?? 'o200k_base';
}
