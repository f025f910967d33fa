/**
 * What a train stage will bill, for the spend-aware plan and --max-cost: tokens per epoch (from
 * validate's billing report) × epochs × the catalog price. The local provider is free.
 */
import { catalogAsOf, modelFacts } from '../models/catalog.js';
import { defaultEpochs } from '../data/billing.js';
import type { ProviderIdentity } from '../providers/types.js';

export interface SpendEstimate {
  billedTokens: number;
  /** null when the catalog has no price for the model (unknown model, compatible server). */
  costUsd: number | null;
  priceAsOf: string;
  epochs: number;
}

export function estimateSpend(options: {
  params: { n_epochs?: number | 'auto'; model?: string };
  billing: { tokens_per_epoch: number; billed_tokens?: number; examples?: number; n_epochs?: number };
  identity: ProviderIdentity;
  model?: string;
}): SpendEstimate {
  const model = options.model ?? options.params.model ?? '';
  const requested = options.params.n_epochs;
  const epochs = typeof requested === 'number' ? requested : autoEpochs(options.billing);
  const billedTokens = options.billing.tokens_per_epoch * epochs;
  const price = options.identity.kind === 'local' ? 0 : (modelFacts(model)?.trainingPricePerMTok ?? null);
  const pricedHere = options.identity.kind === 'local' || options.identity.kind === 'openai' || options.identity.kind === 'azure';
  const costUsd = price === null || !pricedHere ? null : Math.round((billedTokens / 1e6) * price * 1e4) / 1e4;
  return { billedTokens, costUsd, priceAsOf: catalogAsOf, epochs };
}

/** "auto": the epochs validate predicted (billed / per epoch), else OpenAI's heuristic from the example count. */
function autoEpochs(billing: { tokens_per_epoch: number; billed_tokens?: number; examples?: number; n_epochs?: number }): number {
  if (billing.n_epochs) return billing.n_epochs;
  if (billing.billed_tokens && billing.tokens_per_epoch > 0) return Math.round(billing.billed_tokens / billing.tokens_per_epoch);
  return defaultEpochs(billing.examples ?? 0);
}
