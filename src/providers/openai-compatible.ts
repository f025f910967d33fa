/**
 * kind: openai-compatible — any server speaking OpenAI's files + fine_tuning + chat API (vLLM-based
 * trainers, gateways, the local server). base_url is required; the key comes from api_key_env.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { commonBlockFields, defineProviderAdapter } from './adapter.js';
import { requireEnv } from './env-keys.js';
import { openaiCapabilities, withoutEmpty } from './openai.js';

export default defineProviderAdapter({
  kind: 'openai-compatible',
  description: "Any server that speaks OpenAI's files, fine-tuning and chat API (base_url required).",
  block: {
    properties: {
      base_url: { ...commonBlockFields.base_url, description: 'The server\'s API base URL, e.g. https://host/v1 (required).' },
      api_key_env: { ...commonBlockFields.api_key_env, description: 'Variable holding the key, if the server needs one.' },
      organization: { type: 'string', description: 'Organization id, if the server uses one.' },
      project: { type: 'string', description: 'Project id, if the server uses one.' },
      job_lookup: {
        enum: ['metadata', 'none'],
        default: 'none',
        description:
          "How ftpipe finds a job whose create response was lost: metadata (the server keeps job metadata and filters GET /fine_tuning/jobs by metadata[ftpipe_key], as OpenAI does) or none (default: ftpipe then never repeats such a create, and asks you to check).",
      },
    },
    required: ['base_url'],
  },
  pricing: 'unknown',
  identityFields: ['base_url', 'organization', 'project'],
  async create(config, { env }) {
    if (!config.base_url) {
      throw new FtpipeError('provider openai-compatible needs base_url', 'PROVIDER_CONFIG', {
        hint: 'provider: { kind: openai-compatible, base_url: https://host/v1, api_key_env: MY_API_KEY }',
        exitCode: ExitCode.usage,
      });
    }
    // A server without auth still needs some key for the SDK; api_key_env names it when it matters.
    const apiKey = config.api_key_env ? requireEnv(env, config.api_key_env, 'provider openai-compatible') : 'unused';
    const [{ OpenAIApiProvider }, { openaiClient }] = await Promise.all([import('./openai-api-provider.js'), import('./openai-client.js')]);
    return new OpenAIApiProvider({
      client: openaiClient({ apiKey, baseURL: config.base_url, organization: config.organization, project: config.project }),
      identity: withoutEmpty({ kind: 'openai-compatible', baseUrl: config.base_url, organization: config.organization, project: config.project }),
      // Whether the server keeps metadata is the user's to declare: guessing wrong would create paid jobs twice.
      capabilities: { ...openaiCapabilities, methods: ['supervised'], formats: ['chat-jsonl'], jobMetadata: config.job_lookup === 'metadata', jobLookup: config.job_lookup === 'metadata' ? 'metadata' : 'none' },
    });
  },
});
