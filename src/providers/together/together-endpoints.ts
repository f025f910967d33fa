/**
 * Serving a Together fine-tune. A LoRA fine-tune of a base that supports serverless LoRA answers as it
 * is (pay per token); anything else needs a dedicated endpoint, billed per minute while it runs.
 * deploy() finds or creates one by display name (ftpipe-<hash of the model>), starts it if stopped and
 * waits until STARTED; teardown deletes it. The per-minute price comes from GET /hardware.
 */
import { createHash } from 'node:crypto';
import type Together from 'together-ai';
import { FtpipeError } from '../../errors.js';
import { findBeforeCreate } from '../../remote/find-before-create.js';
import { abortableSleep } from '../../remote/abortable-sleep.js';
import { modelFacts } from '../../models/catalog.js';
import { perRequest, type ProviderCalls } from '../provider-calls.js';
import type { Deployment } from '../types.js';

export interface EndpointSettings {
  serving: 'auto' | 'serverless' | 'dedicated';
  hardware?: string;
  minReplicas: number;
  maxReplicas: number;
  /** Minutes without requests before Together stops the endpoint (null: never). */
  inactiveTimeout: number | null;
  pollMs: number;
}

export function endpointDisplayName(model: string): string {
  return `ftpipe-${createHash('sha256').update(model).digest('hex').slice(0, 16)}`;
}

export class TogetherEndpoints {
  constructor(
    private readonly client: Together,
    private readonly calls: ProviderCalls,
    private readonly settings: EndpointSettings,
  ) {}

  /** Whether `model` (a fine-tune whose base is `base`) needs a dedicated endpoint. */
  needsEndpoint(base: string | undefined): boolean {
    if (this.settings.serving !== 'auto') return this.settings.serving === 'dedicated';
    return !(base && modelFacts(base)?.serverlessLora);
  }

  async deploy(model: string, signal?: AbortSignal): Promise<Deployment> {
    const displayName = endpointDisplayName(model);
    const hardware = this.settings.hardware ?? (await this.cheapestHardware(model, signal)).id;
    let endpoint = await this.calls.guard(`create a dedicated endpoint for ${model}`, signal, async () =>
      (
        await findBeforeCreate(
          {
            find: () => this.find(model, signal),
            create: () =>
              this.calls.normalised(() =>
                this.client.endpoints.create(
                  { model, hardware, display_name: displayName, autoscaling: { min_replicas: this.settings.minReplicas, max_replicas: this.settings.maxReplicas }, inactive_timeout: this.settings.inactiveTimeout },
                  perRequest(signal),
                ),
              ),
          },
          this.calls.retryOptions(signal),
        )
      ).value,
    );
    if (endpoint.state === 'STOPPED' || endpoint.state === 'STOPPING') endpoint = await this.calls.read(`start endpoint ${endpoint.name}`, signal, () => this.client.endpoints.update(endpoint.id, { state: 'STARTED' }, perRequest(signal)));
    for (let polls = 0; endpoint.state !== 'STARTED'; polls++) {
      if (endpoint.state === 'ERROR') throw new FtpipeError(`Together endpoint ${endpoint.name} for ${model} is in state ERROR`, 'PROVIDER_DEPLOY_FAILED', { hint: `look at it in Together's dashboard; ftpipe teardown deletes it (teardown: true), or DELETE /endpoints/${endpoint.id}` });
      await abortableSleep(Math.min(30_000, this.settings.pollMs * 2 ** Math.min(polls, 5)), signal);
      const id = endpoint.id;
      endpoint = await this.calls.read(`read endpoint ${endpoint.name}`, signal, () => this.client.endpoints.retrieve(id, perRequest(signal)));
    }
    return { name: endpoint.name, model };
  }

  async teardown(deployment: Deployment, signal?: AbortSignal): Promise<void> {
    const found = await this.find(deployment.model, signal);
    if (found) await this.calls.read(`delete endpoint ${found.name}`, signal, () => this.client.endpoints.delete(found.id, perRequest(signal)));
  }

  /** USD per minute of a dedicated endpoint for `model` at max replicas (the hardware chosen or the cheapest). */
  async perMinuteUsd(model: string, signal?: AbortSignal): Promise<{ usdPerMinute: number; hardware: string }> {
    const options = await this.hardware(model, signal);
    const chosen = this.settings.hardware ? options.find((h) => h.id === this.settings.hardware) : options[0];
    if (!chosen) throw new FtpipeError(`Together lists no hardware ${this.settings.hardware} for ${model}`, 'PROVIDER_CONFIG', { hint: `use one of: ${options.map((h) => h.id).join(', ')}` });
    return { usdPerMinute: (chosen.pricing.cents_per_minute / 100) * this.settings.maxReplicas, hardware: chosen.id };
  }

  /** Our endpoint of `model`, by display name; the list carries no display names, so candidates are read one by one. */
  private async find(model: string, signal?: AbortSignal) {
    const displayName = endpointDisplayName(model);
    const list = await this.calls.read('list endpoints', signal, () => this.client.endpoints.list({ type: 'dedicated', mine: true }, perRequest(signal)));
    for (const candidate of list.data.filter((e) => e.model === model && e.state !== 'ERROR')) {
      const endpoint = await this.calls.read(`read endpoint ${candidate.id}`, signal, () => this.client.endpoints.retrieve(candidate.id, perRequest(signal)));
      if (endpoint.display_name === displayName) return endpoint;
    }
    return null;
  }

  private async hardware(model: string, signal?: AbortSignal) {
    const list = await this.calls.read(`list hardware for ${model}`, signal, () => this.client.endpoints.listHardware({ model }, perRequest(signal)));
    return list.data.filter((h) => h.availability?.status !== 'unavailable').sort((a, b) => a.pricing.cents_per_minute - b.pricing.cents_per_minute);
  }

  private async cheapestHardware(model: string, signal?: AbortSignal) {
    const [cheapest] = await this.hardware(model, signal);
    if (!cheapest) throw new FtpipeError(`Together lists no available hardware for ${model}`, 'PROVIDER_DEPLOY_FAILED', { hint: 'set provider.endpoint_hardware, or try again later' });
    return cheapest;
  }
}
