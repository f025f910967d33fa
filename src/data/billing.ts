/** The cookbook's default-epoch heuristic and the billed-token estimate built on it. */
import { catalogAsOf, modelFacts } from '../models/catalog.js';

const TARGET_EPOCHS = 3;
const MIN_TARGET_EXAMPLES = 100;
const MAX_TARGET_EXAMPLES = 25_000;
const MIN_DEFAULT_EPOCHS = 1;
const MAX_DEFAULT_EPOCHS = 25;

/** Epochs OpenAI picks for n examples when n_epochs is "auto". */
export function defaultEpochs(nExamples: number): number {
  if (nExamples <= 0) return TARGET_EPOCHS;
  if (nExamples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) return Math.min(MAX_DEFAULT_EPOCHS, Math.floor(MIN_TARGET_EXAMPLES / nExamples));
  if (nExamples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) return Math.max(MIN_DEFAULT_EPOCHS, Math.floor(MAX_TARGET_EXAMPLES / nExamples));
  return TARGET_EPOCHS;
}

export interface Billing {
  /** Σ min(limit, tokens) over the valid examples: what one epoch bills. */
  tokens_per_epoch: number;
  billed_tokens: number;
  /** USD per 1M training tokens; null when the catalog has no price for the model. */
  price_per_mtok: number | null;
  estimated_cost_usd: number | null;
  price_as_of: string;
  /** The provider kind the estimate is for, and how it prices training (free: nothing is billed). */
  provider?: string;
  pricing?: TrainingPricing;
}

/** How the provider prices training (its adapter's `pricing`); unset: the catalog's price of the model. */
export type TrainingPricing = 'free' | 'catalog' | 'provider' | 'unknown';

export function estimateBilling(options: { model: string; provider?: string; pricing?: TrainingPricing; tokensPerEpoch: number; epochs: number }): Billing {
  const price = options.pricing === 'free' ? 0 : options.pricing === 'provider' || options.pricing === 'unknown' ? null : (modelFacts(options.model)?.trainingPricePerMTok ?? null);
  const billed = options.tokensPerEpoch * options.epochs;
  return {
    tokens_per_epoch: options.tokensPerEpoch,
    billed_tokens: billed,
    price_per_mtok: price,
    estimated_cost_usd: price === null ? null : Math.round((billed / 1e6) * price * 1e4) / 1e4,
    price_as_of: catalogAsOf,
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.pricing ? { pricing: options.pricing } : {}),
  };
}
