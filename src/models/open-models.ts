/**
 * Open models that Together and Fireworks fine-tune, as of catalogAsOf. The providers' own lists are
 * authoritative (Together: GET /fine-tunes/models/supported; Fireworks: models with `tunable: true`,
 * which also carry `deprecationDate`); this table gives plan its hints, prices and tokenizer guesses
 * offline, and is what the local emulators accept.
 * - Together prices training through its price-estimate endpoint (adapter pricing 'provider'), so no
 *   price here. LoRA fine-tunes of `serverlessLora` bases answer serverless (pay per token).
 * - Fireworks bills training per 1M training tokens by base-model size (fireworks.ai/pricing): up to 16B
 *   $0.50, 16.1B–80B $3.00, Mixtral 8x7B $2.00.
 * Neither provider had published a shutdown date for these models when this table was written; plan
 * warns from the provider's own date where it publishes one (Fireworks deprecationDate).
 * Token counts for these models use o200k_base as an approximation of their own tokenizers.
 */
import type { ModelFacts } from './catalog.js';

const together = (id: string, contextTokens: number, serverlessLora = false): ModelFacts => ({
  id,
  provider: 'together',
  encoding: 'o200k_base',
  trainingExampleLimit: contextTokens,
  fineTunable: true,
  serverlessLora,
});

const fireworks = (id: string, contextTokens: number, pricePerMTok: number): ModelFacts => ({
  id: `accounts/fireworks/models/${id}`,
  provider: 'fireworks',
  encoding: 'o200k_base',
  trainingExampleLimit: contextTokens,
  trainingPricePerMTok: pricePerMTok,
  fineTunable: true,
});

export const openModelCatalog: ModelFacts[] = [
  together('meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', 131_072, true),
  together('meta-llama/Meta-Llama-3.1-70B-Instruct-Reference', 131_072, true),
  together('meta-llama/Llama-3.3-70B-Instruct-Reference', 131_072),
  together('meta-llama/Llama-3.2-3B-Instruct', 131_072),
  together('Qwen/Qwen2.5-7B-Instruct', 32_768),
  together('Qwen/Qwen2.5-72B-Instruct', 32_768),
  together('mistralai/Mistral-7B-Instruct-v0.2', 32_768),
  fireworks('llama-v3p1-8b-instruct', 131_072, 0.5),
  fireworks('llama-v3p1-70b-instruct', 131_072, 3),
  fireworks('llama-v3p3-70b-instruct', 131_072, 3),
  fireworks('qwen2p5-7b-instruct', 32_768, 0.5),
  fireworks('qwen2p5-72b-instruct', 32_768, 3),
  fireworks('mixtral-8x7b-instruct', 32_768, 2),
];

/**
 * Fireworks on-demand deployments are billed per GPU-hour by accelerator type (fireworks.ai/pricing,
 * "we charge $3.89 per hour for one NVIDIA A100 80 GB GPU; pricing scales linearly" in the snapshot this
 * table was made from). Types without a published figure here are priced as unknown.
 */
export const fireworksGpuHourUsd: Record<string, number> = { NVIDIA_A100_80GB: 3.89 };
