/** kind: openai — api.openai.com with OPENAI_API_KEY (or the variable named by api_key_env). */
import { commonBlockFields, defineProviderAdapter } from './adapter.js';
import { requireEnv } from './env-keys.js';
import type { ProviderCapabilities } from './types.js';

export const openaiCapabilities: ProviderCapabilities = {
  methods: ['supervised', 'dpo'],
  formats: ['chat-jsonl', 'preference-jsonl'],
  userChosenJobIds: false,
  jobMetadata: true,
  jobLookup: 'metadata',
  needsDeployment: false,
};

export default defineProviderAdapter({
  kind: 'openai',
  description: 'OpenAI (api.openai.com): files, fine-tuning jobs and chat. New self-serve fine-tuning jobs stop on 2027-01-06.',
  keyEnv: 'OPENAI_API_KEY',
  block: {
    properties: {
      base_url: { ...commonBlockFields.base_url, description: 'Override the API base URL (default https://api.openai.com/v1).' },
      api_key_env: { ...commonBlockFields.api_key_env, description: 'Variable holding the key (default OPENAI_API_KEY).' },
      organization: { type: 'string', description: 'OpenAI organization id.' },
      project: { type: 'string', description: 'OpenAI project id.' },
    },
  },
  pricing: 'catalog',
  // Files over 512 MB go through the Uploads API, which takes up to 8 GB.
  limits: { minTrainingExamples: 10, maxTrainingFileBytes: 8 * 2 ** 30 },
  identityFields: ['base_url', 'organization', 'project'],
  async create(config, { env }) {
    const apiKey = requireEnv(env, config.api_key_env ?? 'OPENAI_API_KEY', 'provider openai');
    const baseURL = config.base_url ?? 'https://api.openai.com/v1';
    const [{ OpenAIApiProvider }, { openaiClient }] = await Promise.all([import('./openai-api-provider.js'), import('./openai-client.js')]);
    return new OpenAIApiProvider({
      client: openaiClient({ apiKey, baseURL, organization: config.organization, project: config.project }),
      identity: withoutEmpty({ kind: 'openai', baseUrl: baseURL, organization: config.organization, project: config.project }),
      capabilities: openaiCapabilities,
    });
  },
});

/** Identity objects are compared and hashed: leave out absent fields rather than carrying undefined. */
export function withoutEmpty<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
