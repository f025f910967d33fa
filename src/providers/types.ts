/**
 * One interface for every fine-tuning provider. Stages speak only this; adapters (openai, azure,
 * openai-compatible, local; later together, fireworks, trl) translate. Plain data in and out.
 */

export type JobStatus = 'preparing' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ProviderIdentity {
  /** "openai" | "azure" | "openai-compatible" | "local" | … */
  kind: string;
  baseUrl?: string;
  organization?: string;
  project?: string;
  /** Azure: api-version when the classic AzureOpenAI client is used. */
  apiVersion?: string;
}

export interface ProviderCapabilities {
  methods: Array<'supervised' | 'dpo'>;
  /** Training data formats accepted, e.g. ["chat-jsonl"]. */
  formats: string[];
  /** The caller can choose the job id (otherwise find-by-metadata is used for idempotency). */
  userChosenJobIds: boolean;
  /** Jobs can be tagged with metadata and listed by it. */
  jobMetadata: boolean;
  /**
   * How findJob finds the job of an idempotency key after a create whose response was lost:
   * metadata (jobs tagged { ftpipe_key } and listed), client-id (the caller chose the job id), name (the
   * key is encoded in a job name/suffix and jobs are listed), local-state (the provider keeps jobs by key
   * itself), none (it cannot: creating blindly could pay twice).
   */
  jobLookup: 'metadata' | 'client-id' | 'name' | 'local-state' | 'none';
  /** A fine-tuned model must be deployed before inference (Azure). */
  needsDeployment: boolean;
}

export interface UploadedFile {
  id: string;
  bytes: number;
  filename: string;
  status: 'uploaded' | 'processed' | 'error';
  createdAt: number;
}

export interface JobSpec {
  model: string;
  trainingFile: string;
  validationFile?: string;
  suffix?: string;
  seed?: number;
  method?: 'supervised' | 'dpo';
  hyperparameters?: {
    n_epochs?: number | 'auto';
    batch_size?: number | 'auto';
    learning_rate_multiplier?: number | 'auto';
    beta?: number | 'auto';
  };
  /** The idempotency key (the stage key): sent as metadata { ftpipe_key } and used by findJob. */
  idempotencyKey: string;
  metadata?: Record<string, string>;
}

export interface JobError {
  code: string;
  message: string;
  param?: string | null;
}

export interface Job {
  id: string;
  status: JobStatus;
  /** The provider's own state name (e.g. "validating_files"). */
  rawStatus: string;
  model: string;
  fineTunedModel: string | null;
  trainedTokens: number | null;
  createdAt: number;
  finishedAt: number | null;
  error: JobError | null;
  resultFiles: string[];
  hyperparameters: Record<string, unknown>;
  metadata: Record<string, string>;
  /** Checkpoints the job wrote, oldest first (self-hosted trainers such as trl; hosted APIs leave it out). */
  checkpoints?: Array<{ step: number; path: string }>;
  /** The directory holding the fine-tuned model (self-hosted trainers such as trl). */
  outputDir?: string;
}

export interface JobEvent {
  id: string;
  createdAt: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type?: 'message' | 'metrics';
  data?: Record<string, unknown>;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
  content: string | null;
  name?: string;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string | string[];
}

export interface ChatResponse {
  content: string;
  finishReason: string;
  usage?: { promptTokens: number; completionTokens: number };
  /** The raw response body, for reports. */
  raw?: unknown;
  /** Rate-limit state from the response headers (x-ratelimit-remaining-requests / x-ratelimit-reset-requests), where the provider sends them. */
  rateLimit?: RateLimitState;
}

export interface RateLimitState {
  remainingRequests?: number;
  /** Milliseconds until the request budget resets. */
  resetRequestsMs?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
  /** A 429's retry-after: the provider refuses requests for this long. */
  retryAfterMs?: number;
}

/** Options of one chat call. The hooks let a caller pace every attempt, retries included. */
export interface ChatOptions {
  signal?: AbortSignal;
  /** Awaited before every attempt (the first and each retry), e.g. while a rate-limit budget is spent. */
  beforeAttempt?: (signal?: AbortSignal) => Promise<void>;
  /** Told the rate-limit state of every attempt's response, a 429 that is retried included. */
  onRateLimit?: (state: RateLimitState) => void;
  /** When given, the answer is streamed (where the provider can) and each piece of text is told as it arrives; the whole answer is still returned. */
  onDelta?: (text: string) => void;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
  /** ISO date when the provider retires the model, where known. */
  shutdownDate?: string;
}

export interface ServingCost {
  /** null when the provider publishes no price for it. */
  usdPerMinute: number | null;
  /** What is billed, e.g. "a Together dedicated endpoint (1x_nvidia_h100_80gb_sxm) …". */
  what: string;
  /** How to stop paying for it. */
  teardown: string;
}

export interface Deployment {
  name: string;
  model: string;
}

export interface Provider {
  readonly identity: ProviderIdentity;
  readonly capabilities: ProviderCapabilities;
  /**
   * Upload a file for fine-tuning and wait until it is processed. onCreated is called with the file the
   * moment it exists remotely (before processing ends), so the caller can record its id durably.
   */
  uploadFile(path: string, options: { purpose: 'fine-tune'; filename?: string; signal?: AbortSignal; onCreated?: (file: UploadedFile) => Promise<void> | void }): Promise<UploadedFile>;
  /** Files already on the provider (to reuse an upload of the same content). */
  listFiles(options?: { purpose?: string; signal?: AbortSignal }): Promise<UploadedFile[]>;
  /** The bytes of a file (result files are base64 on OpenAI: adapters decode). */
  fileContent(id: string, options?: { signal?: AbortSignal }): Promise<Buffer>;
  createJob(spec: JobSpec, options?: { signal?: AbortSignal }): Promise<Job>;
  /** The job created earlier with this idempotency key, if any. */
  findJob(idempotencyKey: string, options?: { signal?: AbortSignal }): Promise<Job | null>;
  getJob(id: string, options?: { signal?: AbortSignal }): Promise<Job>;
  /** Events oldest first; `after` is an event id already seen. */
  listEvents(id: string, options?: { after?: string; signal?: AbortSignal }): Promise<JobEvent[]>;
  cancelJob(id: string, options?: { signal?: AbortSignal }): Promise<Job>;
  /**
   * Whether calling `model` must go through deploy() first, where capabilities.needsDeployment holds and the
   * provider tells its fine-tunes apart by name (Fireworks: the account's own models; Together: deploy()
   * itself decides). Without it, OpenAI's and Azure's fine-tuned id shapes decide (src/remote/callable-model.ts).
   */
  needsDeploymentFor?(model: string): boolean;
  /** Make a fine-tuned model callable (no-op where capabilities.needsDeployment is false). Idempotent. */
  deploy(model: string, options?: { name?: string; signal?: AbortSignal }): Promise<Deployment>;
  teardown(deployment: Deployment, options?: { signal?: AbortSignal }): Promise<void>;
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse>;
  listModels(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
  /**
   * An OpenAI-compatible endpoint a child process (e.g. oaieval) may call: only the local provider's
   * in-process server (with its per-run token). Remote providers return undefined: their keys stay in the env.
   */
  endpoint?(): { baseUrl: string; apiKey: string } | undefined;
  /**
   * The provider's own price for a job, where it publishes one (adapters with pricing: 'provider').
   * allowed: false when the provider says the job may not proceed (e.g. over the account's limit).
   */
  estimateJobCost?(spec: JobSpec, options?: { signal?: AbortSignal }): Promise<{ costUsd: number | null; allowed: boolean; reason?: string }>;
  /**
   * What serving a fine-tune of `baseModel` costs while it is deployed, where the provider bills serving
   * by time (Together dedicated endpoints, Fireworks on-demand deployments); null where it is billed per
   * token only (serverless). For `plan` and the spend guard (src/remote/serving-cost.ts).
   */
  servingCost?(baseModel: string, options?: { signal?: AbortSignal }): Promise<ServingCost | null>;
  /** Release sockets/servers (the local provider stops its in-process server). */
  close(): Promise<void>;
}

/** The recipe's `provider:` block after interpolation. Keys never appear here: only env var names. */
export interface ProviderConfig {
  kind: string;
  base_url?: string;
  api_key_env?: string;
  organization?: string;
  project?: string;
  api_version?: string;
  /** Azure: deployment name template for fine-tuned models. */
  deployment?: string;
  /** local: where the local provider keeps its state (default <workspace>/.ftpipe/local-provider). */
  data_dir?: string;
  /** local: fault injection (see src/local). */
  faults?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Given to the engine by the CLI so the engine never imports a provider. */
export type ProviderFactory = (config: ProviderConfig, options: { workspace: string; env: NodeJS.ProcessEnv }) => Promise<Provider>;
