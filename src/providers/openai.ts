/** kind: openai — api.openai.com with OPENAI_API_KEY (or the variable named by api_key_env). */
import { OpenAIApiProvider } from './openai-api-provider.js';
import { openaiClient } from './openai-client.js';
import { requireEnv } from './env-keys.js';
import type { AdapterFactory } from './registry.js';
import type { ProviderCapabilities } from './types.js';

export const openaiCapabilities: ProviderCapabilities = {
  methods: ['supervised', 'dpo'],
  formats: ['chat-jsonl', 'preference-jsonl'],
  userChosenJobIds: false,
  jobMetadata: true,
  needsDeployment: false,
};

export const createOpenAIProvider: AdapterFactory = async (config, { env }) => {
  const apiKey = requireEnv(env, config.api_key_env ?? 'OPENAI_API_KEY', 'provider openai');
  const baseURL = config.base_url ?? 'https://api.openai.com/v1';
  return new OpenAIApiProvider({
    client: openaiClient({ apiKey, baseURL, organization: config.organization, project: config.project }),
    identity: withoutEmpty({ kind: 'openai', baseUrl: baseURL, organization: config.organization, project: config.project }),
    capabilities: openaiCapabilities,
  });
};

/** Identity objects are compared and hashed: leave out absent fields rather than carrying undefined. */
export function withoutEmpty<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
