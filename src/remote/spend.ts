/**
 * What a training job will bill, priced the way its provider's adapter declares (ProviderAdapter.pricing):
 * free ($0), catalog (tokens of the uploaded file × epochs × ftpipe's dated price table), provider (the
 * provider's own estimate, Provider.estimateJobCost) or unknown. No provider kind is named here.
 */
import { catalogAsOf, modelFacts } from '../models/catalog.js';
import { defaultEpochs } from '../data/billing.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import type { JobSpec, Provider } from '../providers/types.js';
import type { TrainingFileStats } from './training-file-stats.js';

export type Pricing = ProviderAdapter['pricing'];

export interface TrainingPrice {
  epochs: number;
  billedTokens: number;
  /** null: no price known (unknown model, compatible server, provider estimate not available yet). */
  costUsd: number | null;
  /** Where the price comes from, for the plan line. */
  basis: string;
  /** The provider said the job may not proceed (pricing: provider). */
  refused?: string;
}

/** n_epochs as given, else "auto": OpenAI's heuristic from the number of examples. */
export function epochsFor(requested: unknown, examples: number): number {
  return typeof requested === 'number' && requested > 0 ? requested : defaultEpochs(examples);
}

export async function priceTraining(options: {
  pricing: Pricing;
  model: string;
  requestedEpochs: unknown;
  stats: TrainingFileStats;
  /** pricing "provider": the job as it would be created (needs the uploaded file's id). */
  spec?: JobSpec;
  provider?: Provider;
  signal?: AbortSignal;
}): Promise<TrainingPrice> {
  const epochs = epochsFor(options.requestedEpochs, options.stats.examples);
  const billedTokens = options.stats.tokensPerEpoch * epochs;
  const base = { epochs, billedTokens };
  switch (options.pricing) {
    case 'free':
      return { ...base, costUsd: 0, basis: 'free' };
    case 'catalog': {
      const price = modelFacts(options.model)?.trainingPricePerMTok;
      if (price === undefined) return { ...base, costUsd: null, basis: 'no price known for this model' };
      return { ...base, costUsd: roundUsd((billedTokens / 1e6) * price), basis: `prices as of ${catalogAsOf}` };
    }
    case 'provider': {
      if (!options.spec || !options.provider?.estimateJobCost) return { ...base, costUsd: null, basis: 'the provider prices the job once its training file is uploaded' };
      const estimate = await options.provider.estimateJobCost(options.spec, { signal: options.signal });
      return { ...base, costUsd: estimate.costUsd === null ? null : roundUsd(estimate.costUsd), basis: "the provider's own estimate", refused: estimate.allowed ? undefined : (estimate.reason ?? 'the provider would not accept this job') };
    }
    default:
      return { ...base, costUsd: null, basis: 'this provider publishes no price ftpipe knows' };
  }
}

export function roundUsd(usd: number): number {
  return Math.round(usd * 1e4) / 1e4;
}
