/**
 * The Provider over Fireworks' REST API (fetch) and its OpenAI-compatible inference endpoint (the
 * official openai client). Datasets and jobs are created with ids derived from content and stage key,
 * so repeats are found, not duplicated; fine-tunes are served from an on-demand deployment, made the
 * first time a fine-tune is asked (or by deploy()).
 */
import { FtpipeError } from '../../errors.js';
import { OpenAIApiProvider } from '../openai-api-provider.js';
import type { ProviderCalls } from '../provider-calls.js';
import type * as P from '../types.js';
import { listDatasets, uploadDataset } from './fireworks-datasets.js';
import { FireworksDeployments, type DeploymentSettings } from './fireworks-deployments.js';
import { FireworksJobs, type FireworksJobSettings } from './fireworks-job-calls.js';
import { metricsCsvFrom } from './fireworks-metrics.js';
import { metricsFilePrefix } from './fireworks-jobs.js';
import type { FireworksRest } from './fireworks-rest.js';

export interface FireworksProviderOptions {
  rest: FireworksRest;
  calls: ProviderCalls;
  /** Chat through Fireworks' OpenAI-compatible inference API. */
  inference: OpenAIApiProvider;
  identity: P.ProviderIdentity;
  jobs: FireworksJobSettings;
  deployments: DeploymentSettings;
}

export const fireworksCapabilities: P.ProviderCapabilities = {
  methods: ['supervised', 'dpo'],
  formats: ['chat-jsonl', 'preference-jsonl'],
  userChosenJobIds: true,
  jobMetadata: false,
  jobLookup: 'client-id',
  needsDeployment: true,
};

export class FireworksProvider implements P.Provider {
  readonly identity: P.ProviderIdentity;
  readonly capabilities = fireworksCapabilities;
  private readonly jobs: FireworksJobs;
  private readonly deployments: FireworksDeployments;
  /** Deployments made in this process, by model: chat deploys a fine-tune once. */
  private readonly deployed = new Map<string, Promise<P.Deployment>>();

  constructor(private readonly options: FireworksProviderOptions) {
    this.identity = options.identity;
    this.jobs = new FireworksJobs(options.rest, options.calls, options.jobs);
    this.deployments = new FireworksDeployments(options.rest, options.calls, options.deployments);
  }

  uploadFile(path: string, options: { purpose: 'fine-tune'; filename?: string; signal?: AbortSignal; onCreated?: (file: P.UploadedFile) => Promise<void> | void }): Promise<P.UploadedFile> {
    return uploadDataset(this.options.rest, this.options.calls, path, { ...options, pollMs: this.options.deployments.pollMs });
  }

  listFiles(options: { signal?: AbortSignal } = {}): Promise<P.UploadedFile[]> {
    return listDatasets(this.options.rest, this.options.calls, options.signal);
  }

  async fileContent(id: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    if (!id.startsWith(metricsFilePrefix)) throw new FtpipeError(`Fireworks datasets cannot be read back through ftpipe (${id})`, 'PROVIDER_UNSUPPORTED', { hint: 'use the local copy of the data: the upload stage\'s input' });
    return Buffer.from(await metricsCsvFrom(this.options.rest, this.options.calls, id.slice(metricsFilePrefix.length), options.signal));
  }

  createJob(spec: P.JobSpec, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    return this.jobs.create(spec, options.signal);
  }

  findJob(idempotencyKey: string, options: { signal?: AbortSignal } = {}): Promise<P.Job | null> {
    return this.jobs.find(idempotencyKey, options.signal);
  }

  getJob(id: string, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    return this.jobs.get(id, options.signal);
  }

  listEvents(id: string, options: { after?: string; signal?: AbortSignal } = {}): Promise<P.JobEvent[]> {
    return this.jobs.events(id, options.after, options.signal);
  }

  cancelJob(id: string, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    return this.jobs.cancel(id, options.signal);
  }

  needsDeploymentFor(model: string): boolean {
    return this.deployments.needsDeployment(model);
  }

  async deploy(model: string, options: { name?: string; signal?: AbortSignal } = {}): Promise<P.Deployment> {
    if (!this.deployments.needsDeployment(model)) return { name: model, model };
    let deployment = this.deployed.get(model);
    if (!deployment) {
      deployment = this.deployments.deploy(model, options.signal);
      this.deployed.set(model, deployment);
      deployment.catch(() => this.deployed.delete(model));
    }
    return deployment;
  }

  async teardown(deployment: P.Deployment, options: { signal?: AbortSignal } = {}): Promise<void> {
    this.deployed.delete(deployment.model);
    await this.deployments.teardown(deployment, options.signal);
  }

  async servingCost(baseModel: string): Promise<P.ServingCost | null> {
    return this.deployments.cost(baseModel);
  }

  /** A fine-tune answers from its deployment: asking it by name deploys it first (once per process). */
  async chat(request: P.ChatRequest, options: { signal?: AbortSignal } = {}): Promise<P.ChatResponse> {
    const callable = this.deployments.needsDeployment(request.model) ? (await this.deploy(request.model, options)).name : request.model;
    return this.options.inference.chat({ ...request, model: callable }, options);
  }

  listModels(options: { signal?: AbortSignal } = {}): Promise<P.ModelInfo[]> {
    return this.jobs.models(options.signal);
  }

  async close(): Promise<void> {}
}
