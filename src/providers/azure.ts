/**
 * kind: azure — Azure OpenAI. Default: the v1 endpoint (https://<resource>.openai.azure.com/openai/v1/),
 * which serves the same files/fine_tuning/chat API as OpenAI, key in the `api-key` header. With
 * api_version set, the classic AzureOpenAI client is used instead. Fine-tuned models need a
 * deployment (ARM), made lazily on the first deploy() so training needs no management token.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { OpenAIApiProvider } from './openai-api-provider.js';
import { azureClient, openaiClient } from './openai-client.js';
import { requireEnv } from './env-keys.js';
import { withoutEmpty } from './openai.js';
import { armDeployments, armTargetFrom, type ArmTarget } from './azure-deployments.js';
import type { AdapterFactory } from './registry.js';

export const createAzureProvider: AdapterFactory = async (config, { env }) => {
  const resource = typeof config.resource === 'string' ? config.resource : undefined;
  const endpoint = config.base_url ?? (resource ? `https://${resource}.openai.azure.com/openai/v1/` : undefined);
  if (!endpoint) {
    throw new FtpipeError('provider azure needs resource (the Azure OpenAI account name) or base_url', 'PROVIDER_CONFIG', {
      hint: 'provider: { kind: azure, resource: my-openai-account }',
      exitCode: ExitCode.usage,
    });
  }
  const apiKey = requireEnv(env, config.api_key_env ?? 'AZURE_OPENAI_API_KEY', 'provider azure');
  const client = config.api_version
    ? azureClient({ apiKey, endpoint: endpoint.replace(/\/openai\/v1\/?$/, '/'), apiVersion: config.api_version })
    : openaiClient({ apiKey, baseURL: endpoint, defaultHeaders: { 'api-key': apiKey } });
  let target: ArmTarget | undefined;
  return new OpenAIApiProvider({
    client,
    identity: withoutEmpty({ kind: 'azure', baseUrl: endpoint, apiVersion: config.api_version }),
    capabilities: { methods: ['supervised', 'dpo'], formats: ['chat-jsonl', 'preference-jsonl'], userChosenJobIds: false, jobMetadata: true, needsDeployment: true },
    deployments: armDeployments(() => (target ??= armTargetFrom(config, env))),
  });
};
