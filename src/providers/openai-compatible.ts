/**
 * kind: openai-compatible — any server speaking OpenAI's files + fine_tuning + chat API (vLLM-based
 * trainers, gateways, the local server). base_url is required; the key comes from api_key_env.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { OpenAIApiProvider } from './openai-api-provider.js';
import { openaiClient } from './openai-client.js';
import { requireEnv } from './env-keys.js';
import { openaiCapabilities, withoutEmpty } from './openai.js';
import type { AdapterFactory } from './registry.js';

export const createCompatibleProvider: AdapterFactory = async (config, { env }) => {
  if (!config.base_url) {
    throw new FtpipeError('provider openai-compatible needs base_url', 'PROVIDER_CONFIG', {
      hint: 'provider: { kind: openai-compatible, base_url: https://host/v1, api_key_env: MY_API_KEY }',
      exitCode: ExitCode.usage,
    });
  }
  // A server without auth still needs some key for the SDK; api_key_env names it when it matters.
  const apiKey = config.api_key_env ? requireEnv(env, config.api_key_env, 'provider openai-compatible') : 'unused';
  return new OpenAIApiProvider({
    client: openaiClient({ apiKey, baseURL: config.base_url, organization: config.organization, project: config.project }),
    identity: withoutEmpty({ kind: 'openai-compatible', baseUrl: config.base_url, organization: config.organization, project: config.project }),
    capabilities: { ...openaiCapabilities, methods: ['supervised'], formats: ['chat-jsonl'] },
  });
};
