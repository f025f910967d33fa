/**
 * kind: together — Together AI through the official together-ai SDK, key TOGETHER_API_KEY. LoRA (default)
 * or full fine-tuning, SFT or DPO; jobs found again by the stage key in their suffix; prices from
 * Together's price-estimate endpoint; fine-tunes served serverless or from a dedicated endpoint.
 */
import { commonBlockFields, defineProviderAdapter } from './adapter.js';
import { requireEnv } from './env-keys.js';
import { withoutEmpty } from './openai.js';
import { isLoopbackUrl } from './loopback.js';
import type { ProviderConfig } from './types.js';

const integer = (description: string, minimum = 0) => ({ type: 'integer', minimum, description });

export default defineProviderAdapter({
  kind: 'together',
  description: 'Together AI (api.together.ai): LoRA or full fine-tuning of open models (SFT, DPO) through the together-ai SDK; serverless or dedicated-endpoint serving.',
  keyEnv: 'TOGETHER_API_KEY',
  block: {
    properties: {
      base_url: { ...commonBlockFields.base_url, description: 'Override the API base URL (default https://api.together.ai/v1), e.g. `ftpipe serve --flavor together`.' },
      api_key_env: { ...commonBlockFields.api_key_env, description: 'Variable holding the key (default TOGETHER_API_KEY).' },
      training_type: { enum: ['lora', 'full'], description: 'LoRA adapters (default) or full fine-tuning.' },
      lora_rank: integer('LoRA rank (lora_r, default 8).', 1),
      lora_alpha: { type: 'number', exclusiveMinimum: 0, description: 'LoRA alpha (default 2 × lora_rank).' },
      n_evals: integer('Evaluations on the validation file during training (default 0).'),
      n_checkpoints: integer('Intermediate checkpoints to keep (default 1).', 1),
      learning_rate: { type: 'number', exclusiveMinimum: 0, description: "Absolute learning rate; otherwise the train stage's learning_rate_multiplier × Together's default 1e-5." },
      serving: { enum: ['auto', 'serverless', 'dedicated'], description: 'How fine-tunes answer: auto (default: serverless where the base supports serverless LoRA, else a dedicated endpoint), serverless, or dedicated.' },
      endpoint_hardware: { type: 'string', description: 'Hardware of dedicated endpoints, e.g. 1x_nvidia_h100_80gb_sxm (default: the cheapest Together lists for the model).' },
      endpoint_min_replicas: integer('Dedicated endpoint replicas at least (default 1).', 1),
      endpoint_max_replicas: integer('Dedicated endpoint replicas at most (default 1); plan prices this many.', 1),
      endpoint_inactive_timeout: integer('Minutes without requests before Together stops a dedicated endpoint (default 60).'),
    },
  },
  pricing: 'provider',
  // Together's own file check: at least one example, at most 4.9 GB.
  limits: { minTrainingExamples: 1, maxTrainingFileBytes: Math.floor(4.9 * 2 ** 30) },
  identityFields: ['base_url', 'training_type', 'lora_rank', 'lora_alpha', 'n_evals', 'n_checkpoints', 'learning_rate'],
  async create(config, { env }) {
    const apiKey = requireEnv(env, config.api_key_env ?? 'TOGETHER_API_KEY', 'provider together');
    const baseURL = config.base_url ?? 'https://api.together.ai/v1';
    const [{ default: Together }, { TogetherProvider }, { ProviderCalls }, { fromTogetherError }, { togetherHint }] = await Promise.all([
      import('together-ai'),
      import('./together/together-provider.js'),
      import('./provider-calls.js'),
      import('./together/together-errors.js'),
      import('./together/together-hints.js'),
    ]);
    return new TogetherProvider({
      client: new Together({ apiKey, baseURL, maxRetries: 0, timeout: 120_000 }),
      identity: withoutEmpty({ kind: 'together', baseUrl: config.base_url }),
      calls: new ProviderCalls({ normalise: fromTogetherError, hintFor: togetherHint }),
      jobs: {
        trainingType: config.training_type === 'full' ? 'full' : 'lora',
        loraRank: numberField(config, 'lora_rank'),
        loraAlpha: numberField(config, 'lora_alpha'),
        nEvals: numberField(config, 'n_evals'),
        nCheckpoints: numberField(config, 'n_checkpoints'),
        learningRate: numberField(config, 'learning_rate'),
      },
      endpoints: {
        serving: config.serving === 'serverless' || config.serving === 'dedicated' ? config.serving : 'auto',
        hardware: typeof config.endpoint_hardware === 'string' ? config.endpoint_hardware : undefined,
        minReplicas: numberField(config, 'endpoint_min_replicas') ?? 1,
        maxReplicas: numberField(config, 'endpoint_max_replicas') ?? Math.max(1, numberField(config, 'endpoint_min_replicas') ?? 1),
        inactiveTimeout: numberField(config, 'endpoint_inactive_timeout') ?? 60,
        pollMs: isLoopbackUrl(baseURL) ? 50 : 5000,
      },
      fileProcessingPollMs: isLoopbackUrl(baseURL) ? 50 : 1000,
    });
  },
});

function numberField(config: ProviderConfig, name: string): number | undefined {
  return typeof config[name] === 'number' ? (config[name] as number) : undefined;
}

