/**
 * kind: fireworks — Fireworks AI over its REST API (no official TypeScript SDK: fetch), key
 * FIREWORKS_API_KEY, `account` required. Datasets and jobs get ids derived from the content and the
 * stage key (native idempotency); fine-tunes answer from an on-demand deployment through Fireworks'
 * OpenAI-compatible inference API (the official openai client).
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { commonBlockFields, defineProviderAdapter } from './adapter.js';
import { requireEnv } from './env-keys.js';
import { withoutEmpty } from './openai.js';
import { isLoopbackUrl } from './loopback.js';
import type { ProviderConfig } from './types.js';

const integer = (description: string, minimum = 0) => ({ type: 'integer', minimum, description });

export default defineProviderAdapter({
  kind: 'fireworks',
  description: 'Fireworks AI (api.fireworks.ai): LoRA fine-tuning of open models (SFT, DPO) over its REST API; fine-tunes served from on-demand deployments.',
  keyEnv: 'FIREWORKS_API_KEY',
  block: {
    properties: {
      account: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Your Fireworks account id (`firectl whoami`); datasets, jobs, models and deployments live under accounts/<account>.' },
      base_url: { ...commonBlockFields.base_url, description: 'Override the REST base URL (default https://api.fireworks.ai), e.g. `ftpipe serve --flavor fireworks`.' },
      inference_url: { type: 'string', description: 'Override the OpenAI-compatible inference URL (default <base_url>/inference/v1).' },
      api_key_env: { ...commonBlockFields.api_key_env, description: 'Variable holding the key (default FIREWORKS_API_KEY).' },
      lora_rank: integer('LoRA rank (default: Fireworks\' default, 8).', 1),
      learning_rate: { type: 'number', exclusiveMinimum: 0, description: "Absolute learning rate; otherwise the train stage's learning_rate_multiplier × Fireworks' default 1e-4." },
      accelerator_type: { type: 'string', description: 'GPU of on-demand deployments (default NVIDIA_A100_80GB).' },
      accelerator_count: integer('GPUs per deployment replica (default 1).', 1),
      deployment_min_replicas: integer('Replicas a deployment keeps even when idle (default 0: scales to zero, billed only while serving).'),
      deployment_max_replicas: integer('Replicas at most (default 1); plan prices this many.', 1),
    },
    required: ['account'],
  },
  pricing: 'catalog',
  identityFields: ['account', 'base_url', 'lora_rank', 'learning_rate'],
  async create(config, { env }) {
    const account = typeof config.account === 'string' ? config.account.trim() : '';
    if (!account) {
      throw new FtpipeError('provider fireworks needs account (your Fireworks account id)', 'PROVIDER_CONFIG', { hint: 'provider: { kind: fireworks, account: my-account } (see `firectl whoami`)', exitCode: ExitCode.usage });
    }
    const apiKey = requireEnv(env, config.api_key_env ?? 'FIREWORKS_API_KEY', 'provider fireworks');
    const baseUrl = (config.base_url ?? 'https://api.fireworks.ai').replace(/\/+$/, '');
    const inferenceUrl = typeof config.inference_url === 'string' ? config.inference_url : `${baseUrl}/inference/v1`;
    const [{ FireworksProvider }, { FireworksRest }, { ProviderCalls }, { OpenAIApiProvider }, { openaiClient }, { openaiCapabilities }, { fireworksHint }] = await Promise.all([
      import('./fireworks/fireworks-provider.js'),
      import('./fireworks/fireworks-rest.js'),
      import('./provider-calls.js'),
      import('./openai-api-provider.js'),
      import('./openai-client.js'),
      import('./openai.js'),
      import('./fireworks/fireworks-hints.js'),
    ]);
    const identity = withoutEmpty({ kind: 'fireworks', baseUrl: config.base_url, organization: account });
    const quick = isLoopbackUrl(baseUrl);
    return new FireworksProvider({
      rest: new FireworksRest({ apiKey, baseUrl, account }),
      calls: new ProviderCalls({ hintFor: fireworksHint(account) }),
      inference: new OpenAIApiProvider({ client: openaiClient({ apiKey, baseURL: inferenceUrl }), identity, capabilities: openaiCapabilities }),
      identity,
      jobs: { loraRank: numberField(config, 'lora_rank'), learningRate: numberField(config, 'learning_rate') },
      deployments: {
        acceleratorType: typeof config.accelerator_type === 'string' ? config.accelerator_type : 'NVIDIA_A100_80GB',
        acceleratorCount: numberField(config, 'accelerator_count') ?? 1,
        minReplicas: numberField(config, 'deployment_min_replicas') ?? 0,
        maxReplicas: numberField(config, 'deployment_max_replicas') ?? 1,
        pollMs: quick ? 50 : 5000,
      },
    });
  },
});

function numberField(config: ProviderConfig, name: string): number | undefined {
  return typeof config[name] === 'number' ? (config[name] as number) : undefined;
}
