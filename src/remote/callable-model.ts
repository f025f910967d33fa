/**
 * Calling a model by the name the provider serves it under. Where fine-tuned models are served only
 * through a deployment (capabilities.needsDeployment: Azure, Fireworks, Together's dedicated endpoints), the first call of each fine-tuned model
 * deploys it (idempotent: an existing deployment of it is reused; concurrent calls share one deploy) and
 * every call goes to the deployment. Every caller of a model goes through here: the infer stage,
 * `ftpipe infer`, eval and sweep (their cached chat), and the studio playground.
 */
import type { ChatRequest, ChatResponse, Deployment, Provider } from '../providers/types.js';

/** Fine-tuned ids: OpenAI's `ft:<base>:…` and Azure's `<base>.ft-<hex>`. Other names are called as they are (base model deployments). */
export function isFineTunedModel(id: string): boolean {
  return id.startsWith('ft:') || /\.ft-[0-9a-z]+/i.test(id);
}

export type Log = (message: string) => void;

export class CallableModels {
  private readonly deployments = new Map<string, Promise<Deployment>>();

  constructor(private readonly provider: Provider) {}

  /** Whether calling `model` needs a deployment first. */
  needsDeployment(model: string): boolean {
    if (!this.provider.capabilities.needsDeployment) return false;
    return this.provider.needsDeploymentFor ? this.provider.needsDeploymentFor(model) : isFineTunedModel(model);
  }

  /** The name to send as `model` when calling `model`, deploying it first where the provider needs that; `log` hears of a deploy it caused. */
  async callableName(model: string, options: { signal?: AbortSignal; log?: Log } = {}): Promise<string> {
    if (!this.needsDeployment(model)) return model;
    let deployment = this.deployments.get(model);
    if (!deployment) {
      deployment = this.provider.deploy(model, { signal: options.signal });
      this.deployments.set(model, deployment);
      deployment.then(
        (d) => {
          if (d.name !== model) options.log?.(`deployment ${d.name} serves ${model}`);
        },
        () => this.deployments.delete(model), // a failed deploy is tried again by the next call
      );
    }
    return (await deployment).name;
  }

  async chat(request: ChatRequest, options: { signal?: AbortSignal; log?: Log; onDelta?: (text: string) => void } = {}): Promise<ChatResponse> {
    return this.provider.chat({ ...request, model: await this.callableName(request.model, options) }, { signal: options.signal, onDelta: options.onDelta });
  }

  /** Delete the deployment of `model`, if one was made or found here (Azure bills hosting by the hour). */
  async teardown(model: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const deployment = this.deployments.get(model);
    if (!deployment) return;
    this.deployments.delete(model);
    await this.provider.teardown(await deployment, options);
  }
}

/** One per provider instance: stages of one run (and the playground's requests) share its deployments. */
const shared = new WeakMap<Provider, CallableModels>();

export function callableModels(provider: Provider): CallableModels {
  let models = shared.get(provider);
  if (!models) {
    models = new CallableModels(provider);
    shared.set(provider, models);
  }
  return models;
}

/**
 * The provider with chat() going through CallableModels, for code that only calls chat (eval's cached
 * chat keys its cache by the model id as written, so the cache survives a redeploy under another name).
 */
export function withDeployments(provider: Provider, options: { log?: Log } = {}): Provider {
  if (!provider.capabilities.needsDeployment) return provider;
  const models = callableModels(provider);
  const chat = (request: ChatRequest, call: { signal?: AbortSignal; onDelta?: (text: string) => void } = {}) => models.chat(request, { signal: call.signal, log: options.log, onDelta: call.onDelta });
  return new Proxy(provider, {
    get(target, property) {
      if (property === 'chat') return chat;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
