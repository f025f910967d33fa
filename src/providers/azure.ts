/**
 * kind: azure — Azure OpenAI. Default: the v1 endpoint (https://<resource>.openai.azure.com/openai/v1/),
 * which serves the same files/fine_tuning/chat API as OpenAI, key in the `api-key` header. With
 * api_version set, the classic AzureOpenAI client is used instead. Fine-tuned models need a
 * deployment (ARM), made lazily on the first deploy() so training needs no management token.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { commonBlockFields, defineProviderAdapter } from './adapter.js';
import { requireEnv } from './env-keys.js';
import { withoutEmpty } from './openai.js';
import type { ArmTarget } from './azure-deployments.js';

export default defineProviderAdapter({
  kind: 'azure',
  description: 'Azure OpenAI (v1 endpoint, or the classic client with api_version); fine-tuned models are deployed through ARM.',
  keyEnv: 'AZURE_OPENAI_API_KEY',
  block: {
    properties: {
      resource: { type: 'string', description: 'The Azure OpenAI resource (account) name; the endpoint is https://<resource>.openai.azure.com/openai/v1/.' },
      base_url: { ...commonBlockFields.base_url, description: 'The endpoint, instead of resource (e.g. a v1 endpoint URL).' },
      api_key_env: { ...commonBlockFields.api_key_env, description: 'Variable holding the key (default AZURE_OPENAI_API_KEY).' },
      api_version: { type: 'string', description: 'api-version for the classic AzureOpenAI client (default: the v1 endpoint, no api-version).' },
      deployment: { type: 'string', description: 'Deployment name template for fine-tuned models (default ftpipe-{model}).' },
      deployment_sku: { type: 'string', description: 'Deployment SKU name (default standard).' },
      deployment_capacity: { type: 'number', description: 'Deployment capacity (default 1).' },
      subscription_id: { type: 'string', description: 'Subscription id for deployments (default $AZURE_SUBSCRIPTION_ID).' },
      resource_group: { type: 'string', description: 'Resource group for deployments (default $AZURE_RESOURCE_GROUP).' },
      management_url: { type: 'string', description: 'The Azure Resource Manager endpoint for deployments (default https://management.azure.com; sovereign clouds such as https://management.usgovcloudapi.net and `ftpipe serve --flavor azure` differ).' },
      deployment_hourly_usd: {
        type: 'number',
        minimum: 0,
        description: 'Hosting price of one deployed fine-tuned model, USD per hour: lets `plan` and --max-cost count the deployments eval, sweep and infer make (Azure bills each started hour).',
      },
    },
  },
  pricing: 'catalog',
  // Files over 512 MB go through the Uploads API, which takes up to 8 GB.
  limits: { minTrainingExamples: 10, maxTrainingFileBytes: 8 * 2 ** 30 },
  identityFields: ['base_url', 'api_version', 'resource'],
  async create(config, { env }) {
    const resource = typeof config.resource === 'string' ? config.resource : undefined;
    const endpoint = config.base_url ?? (resource ? `https://${resource}.openai.azure.com/openai/v1/` : undefined);
    if (!endpoint) {
      throw new FtpipeError('provider azure needs resource (the Azure OpenAI account name) or base_url', 'PROVIDER_CONFIG', {
        hint: 'provider: { kind: azure, resource: my-openai-account }',
        exitCode: ExitCode.usage,
      });
    }
    const apiKey = requireEnv(env, config.api_key_env ?? 'AZURE_OPENAI_API_KEY', 'provider azure');
    const [{ OpenAIApiProvider }, { azureClient, openaiClient }, { armDeployments, armTargetFrom }] = await Promise.all([
      import('./openai-api-provider.js'),
      import('./openai-client.js'),
      import('./azure-deployments.js'),
    ]);
    const client = config.api_version
      ? azureClient({ apiKey, endpoint: endpoint.replace(/\/openai\/v1\/?$/, '/'), apiVersion: config.api_version })
      : openaiClient({ apiKey, baseURL: endpoint, defaultHeaders: { 'api-key': apiKey } });
    let target: ArmTarget | undefined;
    return new OpenAIApiProvider({
      client,
      identity: withoutEmpty({ kind: 'azure', baseUrl: endpoint, apiVersion: config.api_version }),
      capabilities: { methods: ['supervised', 'dpo'], formats: ['chat-jsonl', 'preference-jsonl'], userChosenJobIds: false, jobMetadata: true, jobLookup: 'metadata', needsDeployment: true },
      deployments: armDeployments(() => (target ??= armTargetFrom(config, env))),
    });
  },
});
