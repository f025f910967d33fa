/**
 * Azure OpenAI serves a fine-tuned model only through a deployment, created with the ARM management
 * API (not the data-plane key). Deploy is idempotent by deployment name: an existing deployment of
 * the same model is reused; PUT itself is create-or-update. Teardown deletes it (hosting is billed hourly).
 * https://learn.microsoft.com/rest/api/aiservices/accountmanagement/deployments
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { retryAfterFrom, withRetries, type RetryOptions } from '../remote/retry.js';
import { abortableSleep } from '../remote/abortable-sleep.js';
import { toProviderError } from './remote-error.js';
import { APIError } from 'openai';
import { isLoopbackUrl } from './loopback.js';
import type { DeploymentHooks } from './openai-api-provider.js';
import type { Deployment, ProviderConfig } from './types.js';

const armApiVersion = '2024-10-01';
const armHost = 'https://management.azure.com';

export interface ArmTarget {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
  token: string;
  /** Deployment name template: {model} is replaced by a safe form of the model id. */
  nameTemplate: string;
  sku: { name: string; capacity: number };
  /** The ARM endpoint (default https://management.azure.com; sovereign clouds have their own). */
  baseUrl?: string;
  /** First wait between provisioning polls when ARM sends no Retry-After. */
  pollMs?: number;
}

export function armTargetFrom(config: ProviderConfig, env: NodeJS.ProcessEnv): ArmTarget {
  const missing: string[] = [];
  const subscriptionId = stringField(config.subscription_id) ?? env.AZURE_SUBSCRIPTION_ID;
  const resourceGroup = stringField(config.resource_group) ?? env.AZURE_RESOURCE_GROUP;
  const account = stringField(config.resource);
  const token = env.AZURE_MANAGEMENT_TOKEN?.trim();
  if (!subscriptionId) missing.push('provider.subscription_id (or AZURE_SUBSCRIPTION_ID)');
  if (!resourceGroup) missing.push('provider.resource_group (or AZURE_RESOURCE_GROUP)');
  if (!account) missing.push('provider.resource (the Azure OpenAI account name)');
  if (!token) missing.push('the environment variable AZURE_MANAGEMENT_TOKEN (e.g. from `az account get-access-token --query accessToken -o tsv`)');
  if (missing.length) {
    throw new FtpipeError(`deploying on Azure needs ${missing.join(', ')}`, 'PROVIDER_CONFIG', {
      hint: 'a fine-tuned model must be deployed before inference on Azure; set the missing values',
      exitCode: ExitCode.usage,
    });
  }
  return {
    subscriptionId: subscriptionId!,
    resourceGroup: resourceGroup!,
    account: account!,
    token: token!,
    nameTemplate: stringField(config.deployment) ?? 'ftpipe-{model}',
    baseUrl: stringField(config.management_url)?.replace(/\/+$/, ''),
    sku: { name: stringField(config.deployment_sku) ?? 'standard', capacity: typeof config.deployment_capacity === 'number' ? config.deployment_capacity : 1 },
    // A management endpoint on this machine (the emulator) provisions in milliseconds.
    pollMs: isLoopbackUrl(stringField(config.management_url) ?? '') ? 50 : undefined,
  };
}

/** Deployment names allow letters, digits, '-', '_' and '.' (max 64): fine-tuned ids carry ':' and more. */
export function deploymentName(template: string, model: string): string {
  return template.replaceAll('{model}', model.replace(/[^A-Za-z0-9._-]+/g, '-')).slice(0, 64);
}

export function armDeployments(lazyTarget: () => ArmTarget, retry: Omit<RetryOptions, 'signal'> = {}): DeploymentHooks {
  const call = async (method: string, name: string, signal?: AbortSignal, body?: unknown) => {
    const target = lazyTarget();
    const url = `${target.baseUrl ?? armHost}/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${target.account}/deployments/${encodeURIComponent(name)}?api-version=${armApiVersion}`;
    return withRetries(async () => {
      const response = await fetch(url, {
        method,
        signal,
        headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = response.status === 204 || method === 'DELETE' ? null : await response.json().catch(() => null);
      if (response.status === 404) return null;
      // APIError lets the shared retry rules (429 retry-after, 5xx) and error messages apply to ARM too.
      if (!response.ok) throw APIError.generate(response.status, json ?? undefined, undefined, response.headers);
      const deployment = json as ArmDeployment | null;
      return deployment && { ...deployment, retryAfterMs: retryAfterFrom(response.headers) };
    }, { ...retry, signal });
  };

  return {
    async deploy(model, { name, signal } = {}): Promise<Deployment> {
      const deployment = name ?? deploymentName(lazyTarget().nameTemplate, model);
      try {
        let current = await call('GET', deployment, signal);
        if (current?.properties?.model?.name !== model) {
          const { sku } = lazyTarget();
          current = await call('PUT', deployment, signal, { sku, properties: { model: { format: 'OpenAI', name: model, version: '1' } } });
        }
        for (let polls = 0; current && !/^(Succeeded|Failed|Canceled)$/.test(current.properties?.provisioningState ?? 'Succeeded'); polls++) {
          // ARM says how long to wait (Retry-After on 201/200 while provisioning); else back off.
          await abortableSleep(Math.min(30_000, current.retryAfterMs ?? (lazyTarget().pollMs ?? 2000) * 2 ** polls), signal);
          current = await call('GET', deployment, signal);
        }
        const state = current?.properties?.provisioningState ?? 'Succeeded';
        if (state !== 'Succeeded') throw new FtpipeError(`Azure deployment ${deployment} of ${model} ended in state ${state}`, 'PROVIDER_DEPLOY_FAILED');
        return { name: deployment, model };
      } catch (error) {
        throw toProviderError(error, `deploy ${model} as ${deployment}`);
      }
    },
    async teardown(deployment, { signal } = {}) {
      try {
        await call('DELETE', deployment.name, signal);
      } catch (error) {
        throw toProviderError(error, `delete deployment ${deployment.name}`);
      }
    },
  };
}

interface ArmDeployment {
  properties?: { provisioningState?: string; model?: { name?: string } };
  retryAfterMs?: number;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
