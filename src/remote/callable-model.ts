/**
 * Calling a model by the name the provider serves it under. Where fine-tuned models are served only
 * through a deployment (capabilities.needsDeployment: Azure), the first call of each fine-tuned model
 * deploys it (idempotent: an existing deployment of it is reused; concurrent calls share one deploy) and
 * every call goes to the deployment. Every caller of a model goes through here: the infer stage,
 * `ftpipe infer`, eval and sweep (their cached chat), and the studio playground.
 */
import type { ChatRequest, ChatResponse, Deployment, Provider } from '../providers/types.js';

/** Fine-tuned ids: OpenAI's `ft:<base>:…` and Azure's `<base>.ft-<hex>`. Other names are called as they are (base model deployments). */
export function isFineTunedModel(id: string): boolean {
  return id.startsWith('ft:') || /\.ft-[0-9a-z]+/i.test(id);
}

export class CallableModels {
  private readonly deployments = new Map<string, Promise<Deployment>>();

  constructor(
    private readonly provider: Provider,
    private readonly options: { log?: (message: string) => void } = {},
  ) {}

  /** Whether calling `model` needs a deployment first. */
  needsDeployment(model: string): boolean {
    return this.provider.capabilities.needsDeployment && isFineTunedModel(model);
  }

  /** The name to send as `model` when calling `model`, deploying it first where the provider needs that. */
  async callableName(model: string, signal?: AbortSignal): Promise<string> {
    if (!this.needsDeployment(model)) return model;
    let deployment = this.deployments.get(model);
    if (!deployment) {
      deployment = this.provider.deploy(model, { signal });
      this.deployments.set(model, deployment);
      deployment.then(
        (d) => this.options.log?.(`deployment ${d.name} serves ${model}`),
        () => this.deployments.delete(model), // a failed deploy is tried again by the next call
      );
    }
    return (await deployment).name;
  }

  async chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<ChatResponse> {
    return this.provider.chat({ ...request, model: await this.callableName(request.model, options.signal) }, options);
  }

  /** Delete the deployments made or found here (Azure bills hosting by the hour). */
  async teardown(options: { signal?: AbortSignal } = {}): Promise<void> {
    const made = await Promise.allSettled(this.deployments.values());
    this.deployments.clear();
    for (const result of made) if (result.status === 'fulfilled') await this.provider.teardown(result.value, options);
  }
}

/**
 * The provider with chat() going through CallableModels, for code that only calls chat (eval's cached
 * chat keys its cache by the model id as written, so the cache survives a redeploy under another name).
 */
export function withDeployments(provider: Provider, options: { log?: (message: string) => void } = {}): Provider {
  if (!provider.capabilities.needsDeployment) return provider;
  const models = new CallableModels(provider, options);
  return new Proxy(provider, {
    get(target, property) {
      if (property === 'chat') return models.chat.bind(models);
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
