/**
 * The Provider over the official `openai` SDK: OpenAI itself, Azure's v1 endpoint, the local server
 * and any OpenAI-compatible fine-tuning API. The SDK's own retries are off (maxRetries: 0); reads go
 * through withRetries, and creating calls through findBeforeCreate, so a retry never pays twice.
 */
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import type OpenAI from 'openai';
import { APIError } from 'openai';
import { retryAfterFrom, withRetries, type RetryOptions } from '../remote/retry.js';
import { findBeforeCreate } from '../remote/find-before-create.js';
import { mayHaveReachedServer, uncertainCreateError } from '../remote/job-lookup.js';
import { abortableSleep } from '../remote/abortable-sleep.js';
import { toJob, toJobEvent, toUploadedFile, type RawJob, type RawEvent, type RawFile } from './job-mapping.js';
import { decodeResultFile } from './result-file.js';
import { toProviderError } from './remote-error.js';
import { toModelInfo, type RawModel } from './model-info.js';
import { chatBody, toChatResponse } from './chat-response.js';
import { collectChatStream } from './chat-stream.js';
import { rateLimitFromHeaders } from './rate-limit-headers.js';
import { defaultUploadLimits, refuseOversized, uploadInParts, type UploadLimits } from './openai-uploads.js';
import type * as P from './types.js';

export interface DeploymentHooks {
  deploy(model: string, options: { name?: string; signal?: AbortSignal }): Promise<P.Deployment>;
  teardown(deployment: P.Deployment, options: { signal?: AbortSignal }): Promise<void>;
}

export interface OpenAIApiProviderOptions {
  client: OpenAI;
  identity: P.ProviderIdentity;
  capabilities: P.ProviderCapabilities;
  /** Azure: deployments through ARM. Elsewhere a fine-tuned model is callable as is. */
  deployments?: DeploymentHooks;
  onClose?: () => Promise<void>;
  /** local only: where child processes (oaieval) can reach this provider. */
  endpoint?: { baseUrl: string; apiKey: string };
  retry?: Omit<RetryOptions, 'signal'>;
  /** How often uploadFile checks whether a file is processed. */
  fileProcessingPollMs?: number;
  /** When files go through the Uploads API, and in which part size (OpenAI's: 512 MB, 64 MB). */
  uploadLimits?: UploadLimits;
}

/**
 * Request options: no SDK retries, and a signal derived per request, because the SDK adds an abort
 * listener to the signal it is given and a stage's long-lived signal would collect thousands of them.
 */
function perRequest(signal: AbortSignal | undefined) {
  return { maxRetries: 0, signal: signal ? AbortSignal.any([signal]) : undefined };
}

export class OpenAIApiProvider implements P.Provider {
  readonly identity: P.ProviderIdentity;
  private readonly declared: P.ProviderCapabilities;
  private readonly client: OpenAI;
  /** Set when a created job came back without the ftpipe_key we sent: the server drops metadata. */
  private metadataDropped = false;

  constructor(private readonly options: OpenAIApiProviderOptions) {
    this.client = options.client;
    this.identity = options.identity;
    this.declared = options.capabilities;
  }

  /** As declared, except that a server seen dropping job metadata can no longer be trusted to find a lost create. */
  get capabilities(): P.ProviderCapabilities {
    return this.metadataDropped ? { ...this.declared, jobMetadata: false, jobLookup: 'none' } : this.declared;
  }

  async uploadFile(path: string, options: { purpose: 'fine-tune'; filename?: string; signal?: AbortSignal; onCreated?: (file: P.UploadedFile) => Promise<void> | void }): Promise<P.UploadedFile> {
    const filename = options.filename ?? path.split(/[\\/]/).pop()!;
    // stat, not the Blob: openAsBlob misreports sizes past 8 GiB (they wrap), so check before opening.
    refuseOversized(filename, (await stat(path)).size);
    const blob = await openAsBlob(path);
    const limits = this.options.uploadLimits ?? defaultUploadLimits;
    // A named upload (ftpipe names embed the content digest) can be found again after a lost response.
    const { value } = await this.guard('upload the file', options.signal, () =>
      findBeforeCreate(
        {
          find: async () => (options.filename ? ((await this.listFiles({ purpose: options.purpose, signal: options.signal })).find((f) => f.filename === filename && f.bytes === blob.size && f.status !== 'error') ?? null) : null),
          create: async () => {
            if (blob.size > limits.filesApiBytes) {
              return toUploadedFile((await uploadInParts(this.client, blob, { filename, purpose: options.purpose, limits, retry: this.retryOptions(options.signal), request: perRequest })) as RawFile);
            }
            // A file-backed Blob streams from disk: memory stays flat for large training files.
            const file = new File([blob], filename, { type: 'application/jsonl' });
            return toUploadedFile((await this.client.files.create({ file, purpose: options.purpose }, perRequest(options.signal))) as RawFile);
          },
        },
        this.retryOptions(options.signal),
      ),
    );
    await options.onCreated?.(value);
    return this.waitProcessed(value, options.signal);
  }

  async listFiles(options: { purpose?: string; signal?: AbortSignal } = {}): Promise<P.UploadedFile[]> {
    return this.read('list files', options.signal, async () => {
      const files: P.UploadedFile[] = [];
      const query = options.purpose ? { purpose: options.purpose } : {};
      for await (const file of this.client.files.list(query, perRequest(options.signal))) files.push(toUploadedFile(file as RawFile));
      return files;
    });
  }

  async fileContent(id: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    return this.read(`read file ${id}`, options.signal, async () => {
      const response = await this.client.files.content(id, perRequest(options.signal));
      return decodeResultFile(Buffer.from(await response.arrayBuffer()));
    });
  }

  async createJob(spec: P.JobSpec, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    const create = async () => toJob((await this.client.fineTuning.jobs.create(jobCreateBody(spec), perRequest(options.signal))) as unknown as RawJob);
    const job = await this.guard('create the fine-tuning job', options.signal, async () => {
      if (this.capabilities.jobLookup !== 'none') return (await findBeforeCreate({ find: () => this.findJob(spec.idempotencyKey, options), create }, this.retryOptions(options.signal))).value;
      // No lookup: retry only failures that prove the server never acted on the request.
      const since = new Date().toISOString();
      return withRetries(async () => {
        try {
          return await create();
        } catch (error) {
          if (!options.signal?.aborted && mayHaveReachedServer(error)) throw uncertainCreateError({ provider: this.identity.kind, since, interrupted: false, cause: error });
          throw error;
        }
      }, this.retryOptions(options.signal));
    });
    if (job.metadata.ftpipe_key !== spec.idempotencyKey) this.metadataDropped = true;
    return job;
  }

  async findJob(idempotencyKey: string, options: { signal?: AbortSignal } = {}): Promise<P.Job | null> {
    if (this.capabilities.jobLookup === 'none') return null;
    return this.read('find the job', options.signal, async () => {
      // Filter server-side where supported, and check again here: a server that ignores the filter must not cause an adoption.
      // A failed or cancelled job is not adopted: rerunning after a failure means trying again.
      for await (const raw of this.client.fineTuning.jobs.list({ metadata: { ftpipe_key: idempotencyKey }, limit: 100 }, perRequest(options.signal))) {
        const job = toJob(raw as unknown as RawJob);
        if (job.metadata.ftpipe_key === idempotencyKey && job.status !== 'failed' && job.status !== 'cancelled') return job;
      }
      return null;
    });
  }

  /** Every job on the provider, newest first (not on the Provider interface: for tools and tests). */
  async listJobs(options: { signal?: AbortSignal } = {}): Promise<P.Job[]> {
    return this.read('list jobs', options.signal, async () => {
      const jobs: P.Job[] = [];
      for await (const raw of this.client.fineTuning.jobs.list({ limit: 100 }, perRequest(options.signal))) jobs.push(toJob(raw as unknown as RawJob));
      return jobs;
    });
  }

  async getJob(id: string, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    return this.read(`read job ${id}`, options.signal, async () => toJob((await this.client.fineTuning.jobs.retrieve(id, perRequest(options.signal))) as unknown as RawJob));
  }

  async listEvents(id: string, options: { after?: string; signal?: AbortSignal } = {}): Promise<P.JobEvent[]> {
    return this.read(`list events of ${id}`, options.signal, async () => {
      // The API lists newest first: read back until the last event already seen, then flip.
      const events: P.JobEvent[] = [];
      for await (const event of this.client.fineTuning.jobs.listEvents(id, { limit: 100 }, perRequest(options.signal))) {
        if (event.id === options.after) break;
        events.push(toJobEvent(event as RawEvent));
      }
      return events.reverse();
    });
  }

  async cancelJob(id: string, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    return this.read(`cancel job ${id}`, options.signal, async () => toJob((await this.client.fineTuning.jobs.cancel(id, perRequest(options.signal))) as unknown as RawJob));
  }

  async deploy(model: string, options: { name?: string; signal?: AbortSignal } = {}): Promise<P.Deployment> {
    if (this.options.deployments) return this.options.deployments.deploy(model, options);
    return { name: model, model };
  }

  async teardown(deployment: P.Deployment, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.options.deployments) await this.options.deployments.teardown(deployment, options);
  }

  async chat(request: P.ChatRequest, options: P.ChatOptions = {}): Promise<P.ChatResponse> {
    if (options.onDelta) return this.chatStreamed(request, options, options.onDelta);
    return this.read(`chat with ${request.model}`, options.signal, async () => {
      await options.beforeAttempt?.(options.signal);
      const body = chatBody(request) as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
      const { data: completion, response } = await this.client.chat.completions
        .create(body, perRequest(options.signal))
        .withResponse()
        .catch((error: unknown) => {
          // A 429 that withRetries will retry still tells the caller's pacer that the budget is spent.
          if (error instanceof APIError && error.status === 429) options.onRateLimit?.({ ...rateLimitFromHeaders(error.headers ?? new Headers()), retryAfterMs: retryAfterFrom(error.headers) });
          throw error;
        });
      const answer = toChatResponse(completion, response.headers);
      if (answer.rateLimit) options.onRateLimit?.(answer.rateLimit);
      return answer;
    });
  }

  private async chatStreamed(request: P.ChatRequest, options: P.ChatOptions, onDelta: (text: string) => void): Promise<P.ChatResponse> {
    const action = `chat with ${request.model}`;
    const stream = await this.read(action, options.signal, async () => {
      await options.beforeAttempt?.(options.signal);
      const body = { ...chatBody(request), stream: true, stream_options: { include_usage: true } } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
      return this.client.chat.completions.create(body, perRequest(options.signal));
    });
    return this.guard(action, options.signal, () => collectChatStream(stream, onDelta));
  }

  /** An endpoint a child process may call (the local provider's in-process server); remote keys never leave the environment. */
  endpoint(): { baseUrl: string; apiKey: string } | undefined {
    return this.options.endpoint;
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<P.ModelInfo[]> {
    return this.read('list models', options.signal, async () => {
      const models: P.ModelInfo[] = [];
      for await (const model of this.client.models.list(perRequest(options.signal))) models.push(toModelInfo(model as RawModel));
      return models;
    });
  }

  async close(): Promise<void> {
    await this.options.onClose?.();
  }

  private async waitProcessed(file: P.UploadedFile, signal?: AbortSignal): Promise<P.UploadedFile> {
    let current = file;
    for (let polls = 0; current.status === 'uploaded'; polls++) {
      await abortableSleep(Math.min(this.options.fileProcessingPollMs ?? 1000, 250 * 2 ** polls), signal);
      current = await this.read(`read file ${file.id}`, signal, async () => toUploadedFile((await this.client.files.retrieve(file.id, perRequest(signal))) as RawFile));
    }
    if (current.status === 'error') throw toProviderError(new Error('the provider could not process the file'), `upload ${file.filename}`);
    return current;
  }

  private retryOptions(signal?: AbortSignal): RetryOptions {
    return { ...this.options.retry, signal };
  }

  private read<T>(action: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    return this.guard(action, signal, () => withRetries(call, this.retryOptions(signal)));
  }

  private async guard<T>(action: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // An interrupted call surfaces as the caller's own abort reason, not as the SDK's "Request was aborted".
      if (signal?.aborted) throw signal.reason;
      throw toProviderError(error, action);
    }
  }
}

function jobCreateBody(spec: P.JobSpec): OpenAI.FineTuning.JobCreateParams {
  const hyperparameters = spec.hyperparameters ?? {};
  const method: OpenAI.FineTuning.JobCreateParams.Method =
    spec.method === 'dpo' ? { type: 'dpo', dpo: { hyperparameters } } : { type: 'supervised', supervised: { hyperparameters: withoutBeta(hyperparameters) } };
  return {
    model: spec.model,
    training_file: spec.trainingFile,
    ...(spec.validationFile ? { validation_file: spec.validationFile } : {}),
    ...(spec.suffix ? { suffix: spec.suffix } : {}),
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
    method,
    metadata: { ...spec.metadata, ftpipe_key: spec.idempotencyKey },
  };
}

function withoutBeta(h: NonNullable<P.JobSpec['hyperparameters']>) {
  const { beta: _beta, ...rest } = h;
  return rest;
}
