/**
 * Serving a Fireworks fine-tune: LoRA models answer only from an on-demand deployment ("live merge").
 * deploy() creates one with an id derived from the model (ftpipe-<16 hex>; ALREADY_EXISTS means it is
 * there), scaling to zero when idle by default (billed per GPU-second while replicas run), and waits
 * until READY. The callable name is `<model>#accounts/<a>/deployments/<id>`. teardown deletes it.
 */
import { createHash } from 'node:crypto';
import { APIError } from 'openai';
import { FtpipeError } from '../../errors.js';
import { abortableSleep } from '../../remote/abortable-sleep.js';
import { fireworksGpuHourUsd } from '../../models/open-models.js';
import type { ProviderCalls } from '../provider-calls.js';
import type { Deployment, ServingCost } from '../types.js';
import type { FireworksRest } from './fireworks-rest.js';

export interface DeploymentSettings {
  acceleratorType: string;
  acceleratorCount: number;
  minReplicas: number;
  maxReplicas: number;
  pollMs: number;
}

interface RawDeployment {
  name: string;
  baseModel: string;
  state?: 'STATE_UNSPECIFIED' | 'CREATING' | 'READY' | 'DELETING' | 'FAILED' | 'UPDATING' | 'DELETED';
  status?: { code?: string; message?: string };
}

export function deploymentIdFor(model: string): string {
  return `ftpipe-${createHash('sha256').update(model).digest('hex').slice(0, 16)}`;
}

export class FireworksDeployments {
  constructor(
    private readonly rest: FireworksRest,
    private readonly calls: ProviderCalls,
    private readonly settings: DeploymentSettings,
  ) {}

  /** The account's own models (fine-tunes) answer only from a deployment; Fireworks' library answers serverless. */
  needsDeployment(model: string): boolean {
    return model.startsWith(`accounts/${this.rest.account}/models/`) && !model.includes('#');
  }

  async deploy(model: string, signal?: AbortSignal): Promise<Deployment> {
    const id = deploymentIdFor(model);
    const path = `v1/accounts/${this.rest.account}/deployments`;
    let deployment = await this.calls.read(`read deployment ${id}`, signal, () => this.rest.request<RawDeployment>('GET', `${path}/${id}`, { signal, nullOn404: true }));
    if (!deployment || deployment.state === 'DELETED') {
      const body = { baseModel: model, displayName: `ftpipe ${model.split('/').pop()}`, minReplicaCount: this.settings.minReplicas, maxReplicaCount: this.settings.maxReplicas, acceleratorType: this.settings.acceleratorType, acceleratorCount: this.settings.acceleratorCount };
      deployment = await this.calls.idempotent(`deploy ${model}`, signal, async () => {
        try {
          return await this.rest.request<RawDeployment>('POST', path, { query: { deploymentId: id }, json: body, signal });
        } catch (error) {
          if (error instanceof APIError && error.status === 409) return this.rest.request<RawDeployment>('GET', `${path}/${id}`, { signal });
          throw error;
        }
      });
    }
    for (let polls = 0; deployment.state !== 'READY'; polls++) {
      if (deployment.state === 'FAILED' || deployment.state === 'DELETING') {
        throw new FtpipeError(`Fireworks deployment ${deployment.name} of ${model} is ${deployment.state}${deployment.status?.message ? `: ${deployment.status.message}` : ''}`, 'PROVIDER_DEPLOY_FAILED', { hint: `delete it (DELETE /v1/${deployment.name}) and run again` });
      }
      await abortableSleep(Math.min(30_000, this.settings.pollMs * 2 ** Math.min(polls, 5)), signal);
      deployment = await this.calls.read(`read deployment ${id}`, signal, () => this.rest.request<RawDeployment>('GET', `${path}/${id}`, { signal }));
    }
    return { name: `${model}#${deployment.name}`, model };
  }

  async teardown(deployment: Deployment, signal?: AbortSignal): Promise<void> {
    const name = deployment.name.split('#')[1];
    if (!name) return;
    await this.calls.read(`delete deployment ${name}`, signal, () => this.rest.request('DELETE', `v1/${name}`, { signal, nullOn404: true }));
  }

  cost(baseModel: string): ServingCost {
    const hourly = fireworksGpuHourUsd[this.settings.acceleratorType];
    const usdPerMinute = hourly === undefined ? null : (hourly * this.settings.acceleratorCount * this.settings.maxReplicas) / 60;
    const scale = this.settings.minReplicas === 0 ? 'scales to zero when idle: billed per GPU-second while replicas run' : `keeps ${this.settings.minReplicas} replica(s) running even when idle`;
    return {
      usdPerMinute,
      what: `a Fireworks on-demand deployment (${this.settings.acceleratorCount}× ${this.settings.acceleratorType}, up to ${this.settings.maxReplicas} replica(s)) of the fine-tune of ${baseModel} (it ${scale})`,
      teardown: 'teardown: true on the stage deletes it; or DELETE /v1/accounts/<account>/deployments/ftpipe-…',
    };
  }
}
