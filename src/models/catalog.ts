/**
 * What ftpipe knows about base models, per provider: tokenizer, limits, training price, retirement.
 * Prices and dates are as published by the provider on `asOf`; update this table (and asOf) when they change.
 * Source: OpenAI's fine-tuning guide and pricing page; deprecations page (retirements of 2027-01-14).
 * Open models (Together, Fireworks): src/models/open-models.ts.
 */
import { openModelCatalog } from './open-models.js';

export const catalogAsOf = '2026-11-01';

/** OpenAI stops creating new self-serve fine-tuning jobs on this date. */
export const openaiFineTuningEndDate = '2027-01-06';

/** Who fine-tunes the model (the local provider trains every model of the catalog). */
export type CatalogProvider = 'openai' | 'together' | 'fireworks' | 'local';

export interface ModelFacts {
  /** Model id or snapshot prefix (matched longest-prefix first). */
  id: string;
  /** Default openai. */
  provider?: CatalogProvider;
  encoding: 'o200k_base' | 'cl100k_base';
  /** Max tokens of one training example (longer ones are truncated, not rejected). */
  trainingExampleLimit: number;
  /** USD per 1M training tokens (SFT). */
  trainingPricePerMTok?: number;
  /** ISO date the snapshot is retired, where announced. */
  shutdownDate?: string;
  fineTunable: boolean;
  /** Together: a LoRA fine-tune of this base answers serverless (pay per token), without a dedicated endpoint. */
  serverlessLora?: boolean;
}

const openaiCatalog: ModelFacts[] = [
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
  { id: 'local', provider: 'local', encoding: 'o200k_base', trainingExampleLimit: 65_536, trainingPricePerMTok: 0, fineTunable: true },
];

export const modelCatalog: ModelFacts[] = [...openaiCatalog, ...openModelCatalog];

/** The catalog's models a provider fine-tunes (for hints and plan warnings; the provider itself decides). */
export function catalogFor(provider: CatalogProvider): ModelFacts[] {
  return modelCatalog.filter((m) => (m.provider ?? 'openai') === provider && m.fineTunable);
}

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

/**
 * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5, and fine-tunes of them) refuse max_tokens and take
 * max_completion_tokens instead.
 */
export function requiresMaxCompletionTokens(model: string): boolean {
  const base = model.startsWith('ft:') ? model.split(':')[1] : model;
  return /^(o\d|gpt-5)(\b|[-.])/.test(base);
}
