/**
 * The Provider over the official together-ai SDK (SDK retries off: ours decide). Files are checked by
 * Together's own file check, then uploaded (POST /files/upload) and validated server-side; jobs are
 * created with the stage key in the suffix and found again by it (job-suffix.ts); serving goes
 * serverless or through a dedicated endpoint (together-endpoints.ts); prices come from Together's
 * price-estimate endpoint.
 */
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type Together from 'together-ai';
import type { FileResponse } from 'together-ai/resources/files';
import { ExitCode, FtpipeError } from '../../errors.js';
import { findBeforeCreate } from '../../remote/find-before-create.js';
import { abortableSleep } from '../../remote/abortable-sleep.js';
import { chatBody, toChatResponse } from '../chat-response.js';
import { ProviderCalls, perRequest } from '../provider-calls.js';
import type * as P from '../types.js';
import { checkWithTogether } from './together-file-check.js';
import { TogetherEndpoints, type EndpointSettings } from './together-endpoints.js';
import { hasTag } from './job-suffix.js';
import { createBody, metricsCsv, metricsFilePrefix, toJob, toJobEvents, type RawTogetherJob, type TogetherJobSettings } from './together-jobs.js';
import { openModelCatalog } from '../../models/open-models.js';

export interface TogetherProviderOptions {
  client: Together;
  identity: P.ProviderIdentity;
  calls: ProviderCalls;
  jobs: TogetherJobSettings;
  endpoints: EndpointSettings;
  fileProcessingPollMs: number;
}

/** Together's file limit (the together-ai SDK's check: 4.9 GB). */
export const TOGETHER_MAX_FILE_BYTES = Math.floor(4.9 * 2 ** 30);

export const togetherCapabilities: P.ProviderCapabilities = {
  methods: ['supervised', 'dpo'],
  formats: ['chat-jsonl', 'preference-jsonl'],
  userChosenJobIds: false,
  jobMetadata: false,
  jobLookup: 'name',
  needsDeployment: true,
};

export class TogetherProvider implements P.Provider {
  readonly identity: P.ProviderIdentity;
  readonly capabilities = togetherCapabilities;
  private readonly client: Together;
  private readonly calls: ProviderCalls;
  private readonly endpoints: TogetherEndpoints;

  constructor(private readonly options: TogetherProviderOptions) {
    this.client = options.client;
    this.identity = options.identity;
    this.calls = options.calls;
    this.endpoints = new TogetherEndpoints(this.client, this.calls, options.endpoints);
  }

  async uploadFile(path: string, options: { purpose: 'fine-tune'; filename?: string; signal?: AbortSignal; onCreated?: (file: P.UploadedFile) => Promise<void> | void }): Promise<P.UploadedFile> {
    const filename = options.filename ?? basename(path);
    const { size } = await stat(path);
    if (size > TOGETHER_MAX_FILE_BYTES) {
      throw new FtpipeError(`${filename} is ${(size / 2 ** 30).toFixed(1)} GB; Together takes files of at most 4.9 GB`, 'PROVIDER_FILE_TOO_LARGE', { hint: 'split the training data, or lower it with clean/validate before uploading', exitCode: ExitCode.usage });
    }
    await checkWithTogether(path, options.purpose);
    const blob = await openAsBlob(path);
    const { value } = await this.calls.guard(`upload ${filename}`, options.signal, () =>
      findBeforeCreate(
        {
          find: async () => (await this.listFiles({ signal: options.signal })).find((f) => f.filename === filename && f.bytes === size && f.status !== 'error') ?? null,
          create: async () => {
            // Multipart from a file-backed Blob: streamed from disk, as Together's OpenAPI describes /files/upload.
            const form = new FormData();
            form.set('purpose', options.purpose);
            form.set('file_name', filename);
            form.set('file_type', 'jsonl');
            form.set('file', new File([blob], filename, { type: 'application/jsonl' }));
            return toUploadedFile(await this.calls.normalised(() => this.client.post<FileResponse>('/files/upload', { body: form, ...perRequest(options.signal) })));
          },
        },
        this.calls.retryOptions(options.signal),
      ),
    );
    await options.onCreated?.(value);
    return this.waitValidated(value, options.signal);
  }

  async listFiles(options: { purpose?: string; signal?: AbortSignal } = {}): Promise<P.UploadedFile[]> {
    const list = await this.calls.read('list files', options.signal, () => this.client.files.list(perRequest(options.signal)));
    return list.data.filter((f) => !options.purpose || f.purpose === options.purpose).map(toUploadedFile);
  }

  async fileContent(id: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    if (id.startsWith(metricsFilePrefix)) {
      const job = id.slice(metricsFilePrefix.length);
      const { metrics = [] } = await this.calls.read(`read the metrics of ${job}`, options.signal, () => this.client.fineTuning.listMetrics(job, {}, perRequest(options.signal)));
      return Buffer.from(metricsCsv(metrics));
    }
    return this.calls.read(`read file ${id}`, options.signal, async () => Buffer.from(await (await this.client.files.content(id, perRequest(options.signal))).arrayBuffer()));
  }

  async createJob(spec: P.JobSpec, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    const body = createBody(spec, this.options.jobs);
    const { value } = await this.calls.guard('create the fine-tuning job', options.signal, () =>
      findBeforeCreate(
        {
          find: () => this.findJob(spec.idempotencyKey, options),
          create: async () => toJob((await this.calls.normalised(() => this.client.fineTuning.create(body, perRequest(options.signal)))) as RawTogetherJob),
        },
        this.calls.retryOptions(options.signal),
      ),
    );
    return value;
  }

  /** The newest live job whose suffix carries the key's tag (a failed or cancelled one is not adopted). */
  async findJob(idempotencyKey: string, options: { signal?: AbortSignal } = {}): Promise<P.Job | null> {
    const list = await this.calls.read('find the job', options.signal, () => this.client.fineTuning.list(perRequest(options.signal)));
    const found = (list.data as RawTogetherJob[])
      .filter((raw) => hasTag(raw.suffix, idempotencyKey) && raw.status !== 'error' && raw.status !== 'cancelled' && raw.status !== 'cancel_requested')
      .sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? ''))[0];
    return found ? toJob(found) : null;
  }

  /** Every fine-tuning job of the account (not on the Provider interface: for tools and tests). */
  async listJobs(options: { signal?: AbortSignal } = {}): Promise<P.Job[]> {
    const list = await this.calls.read('list jobs', options.signal, () => this.client.fineTuning.list(perRequest(options.signal)));
    return (list.data as RawTogetherJob[]).map((raw) => toJob(raw));
  }

  async getJob(id: string, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    const raw = await this.calls.read(`read job ${id}`, options.signal, () => this.client.fineTuning.retrieve(id, perRequest(options.signal)));
    if (raw.status !== 'error') return toJob(raw as RawTogetherJob);
    // Together puts the reason of a failure in the job's events.
    const events = await this.listEvents(id, options);
    return toJob(raw as RawTogetherJob, events.filter((e) => e.level === 'error').at(-1)?.message);
  }

  async listEvents(id: string, options: { after?: string; signal?: AbortSignal } = {}): Promise<P.JobEvent[]> {
    const { data } = await this.calls.read(`list events of ${id}`, options.signal, () => this.client.fineTuning.listEvents(id, perRequest(options.signal)));
    const events = toJobEvents(id, data);
    const seen = options.after ? events.findIndex((e) => e.id === options.after) : -1;
    return events.slice(seen + 1);
  }

  async cancelJob(id: string, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    return toJob((await this.calls.read(`cancel job ${id}`, options.signal, () => this.client.fineTuning.cancel(id, perRequest(options.signal)))) as RawTogetherJob);
  }

  /** Checkpoints of a job (Together keeps n_checkpoints of them), newest first. */
  async listCheckpoints(id: string, options: { signal?: AbortSignal } = {}) {
    return (await this.calls.read(`list checkpoints of ${id}`, options.signal, () => this.client.fineTuning.listCheckpoints(id, perRequest(options.signal)))).data;
  }

  /** The trained model (or one checkpoint) as Together serves it for download. */
  async downloadModel(id: string, options: { checkpointStep?: number; signal?: AbortSignal } = {}): Promise<Response> {
    return this.calls.read(`download the model of ${id}`, options.signal, () => this.client.fineTuning.content({ ft_id: id, ...(options.checkpointStep ? { checkpoint_step: options.checkpointStep } : {}) }, perRequest(options.signal)));
  }

  /**
   * Together's own models answer serverless; any other may be a fine-tune on a base without serverless LoRA:
   * deploy() asks (once per model per run) and returns the model itself when no endpoint is needed.
   */
  needsDeploymentFor(model: string): boolean {
    return !openModelCatalog.some((m) => m.id === model);
  }

  async deploy(model: string, options: { name?: string; signal?: AbortSignal } = {}): Promise<P.Deployment> {
    const base = await this.baseOf(model, options.signal);
    if (base === null || !this.endpoints.needsEndpoint(base)) return { name: model, model };
    return this.endpoints.deploy(model, options.signal);
  }

  async teardown(deployment: P.Deployment, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (deployment.name !== deployment.model) await this.endpoints.teardown(deployment, options.signal);
  }

  async servingCost(baseModel: string, options: { signal?: AbortSignal } = {}): Promise<P.ServingCost | null> {
    if (!this.endpoints.needsEndpoint(baseModel)) return null;
    const { usdPerMinute, hardware } = await this.endpoints.perMinuteUsd(baseModel, options.signal);
    return { usdPerMinute, what: `a Together dedicated endpoint (${hardware}) for the fine-tune of ${baseModel}`, teardown: 'teardown: true on the stage deletes it; or DELETE /v1/endpoints/<id>' };
  }

  async estimateJobCost(spec: P.JobSpec, options: { signal?: AbortSignal } = {}): Promise<{ costUsd: number | null; allowed: boolean; reason?: string }> {
    const body = createBody(spec, this.options.jobs);
    const estimate = await this.calls.read('estimate the price of the job', options.signal, () =>
      this.client.fineTuning.estimatePrice(
        { training_file: body.training_file, validation_file: body.validation_file, model: body.model, n_epochs: body.n_epochs, n_evals: body.n_evals, training_method: body.training_method, training_type: body.training_type },
        perRequest(options.signal),
      ),
    );
    if (!estimate.estimation_available) return { costUsd: null, allowed: true, reason: `Together has no estimate: ${estimate.unavailable_reason}` };
    const allowed = estimate.allowed_to_proceed !== false;
    const limit = estimate.user_limit !== undefined ? ` (your limit: $${estimate.user_limit})` : '';
    return { costUsd: estimate.estimated_total_price ?? null, allowed, ...(allowed ? {} : { reason: `Together says the job may not proceed${limit}` }) };
  }

  async chat(request: P.ChatRequest, options: { signal?: AbortSignal } = {}): Promise<P.ChatResponse> {
    return this.calls.read(`chat with ${request.model}`, options.signal, async () => {
      const body = chatBody(request) as unknown as Parameters<Together['chat']['completions']['create']>[0] & { stream: false };
      const { data: completion, response } = await this.client.chat.completions.create(body, perRequest(options.signal)).withResponse();
      return toChatResponse(completion, response.headers);
    });
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<P.ModelInfo[]> {
    const models = await this.calls.read('list models', options.signal, () => this.client.models.list({}, perRequest(options.signal)));
    return models.map((m) => ({ id: m.id, ...(m.organization ? { ownedBy: m.organization } : {}) }));
  }

  async close(): Promise<void> {}

  /** The base model of one of this account's fine-tunes, or null for anything else (a base model). */
  private async baseOf(model: string, signal?: AbortSignal): Promise<string | null> {
    const list = await this.calls.read('list fine-tuning jobs', signal, () => this.client.fineTuning.list(perRequest(signal)));
    return (list.data as RawTogetherJob[]).find((job) => job.model_output_name === model)?.model ?? null;
  }

  private async waitValidated(file: P.UploadedFile, signal?: AbortSignal): Promise<P.UploadedFile> {
    for (let polls = 0; ; polls++) {
      const raw = await this.calls.read(`read file ${file.id}`, signal, () => this.client.files.retrieve(file.id, perRequest(signal)));
      const status = raw.processing_status;
      if (status === undefined || status === 'COMPLETED') return toUploadedFile(raw);
      if (status === 'FAILED' || status === 'INVALID_FORMAT') {
        const reason = raw.validation_report?.error ?? `processing ended ${status}`;
        throw new FtpipeError(`Together rejected ${file.filename} (${file.id}): ${reason}`, 'PROVIDER_FILE_REJECTED', { hint: 'fix the data (the line is named above where Together gives it) and run again; the rejected file stays listed on Together until deleted' });
      }
      await abortableSleep(Math.min(10_000, this.options.fileProcessingPollMs * 2 ** Math.min(polls, 5)), signal);
    }
  }
}

function toUploadedFile(raw: FileResponse): P.UploadedFile {
  const status = raw.processing_status === 'FAILED' || raw.processing_status === 'INVALID_FORMAT' ? 'error' : raw.processing_status === undefined || raw.processing_status === 'COMPLETED' ? 'processed' : 'uploaded';
  return { id: raw.id, bytes: raw.bytes, filename: raw.filename, status, createdAt: raw.created_at };
}
