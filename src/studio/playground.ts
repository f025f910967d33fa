/**
 * The Playground's side of the server: one provider (created on the first chat, from the recipe's
 * `provider:` block), so the browser never sees a key or the provider's URL. It is closed after a minute
 * without chats: a local provider holds its data folder, and `ftpipe run` in another terminal needs it.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import type { ChatMessage, ChatResponse, ModelInfo, Provider, ProviderConfig, ProviderFactory } from '../providers/types.js';
import { withDeployments } from '../remote/callable-model.js';

export interface ChatInput {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
}

const ROLES = new Set(['system', 'user', 'assistant', 'developer']);

const IDLE_CLOSE_MS = 60_000;

export class Playground {
  private provider: Promise<Provider> | null = null;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ProviderConfig,
    private readonly options: { workspace: string; env: NodeJS.ProcessEnv; factory?: ProviderFactory; idleCloseMs?: number },
  ) {}

  models(): Promise<ModelInfo[]> {
    return this.use((provider) => provider.listModels());
  }

  /** With `onDelta`, the answer is streamed where the provider can (the whole answer is still returned). */
  chat(input: unknown, options: { onDelta?: (text: string) => void; signal?: AbortSignal } = {}): Promise<ChatResponse> {
    const request = validChatInput(input);
    return this.use((provider) => provider.chat(request, options));
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const provider = this.provider;
    this.provider = null;
    if (provider) await (await provider.catch(() => null))?.close();
  }

  private async use<T>(call: (provider: Provider) => Promise<T>): Promise<T> {
    this.inFlight++;
    clearTimeout(this.idleTimer);
    try {
      return await call(await this.connect());
    } finally {
      if (--this.inFlight === 0) {
        this.idleTimer = setTimeout(() => void this.close(), this.options.idleCloseMs ?? IDLE_CLOSE_MS);
        this.idleTimer.unref();
      }
    }
  }

  private connect(): Promise<Provider> {
    this.provider ??= this.create().catch((error) => {
      this.provider = null; // let the next request try again (e.g. after the key is exported)
      throw error;
    });
    return this.provider;
  }

  private async create(): Promise<Provider> {
    const factory = this.options.factory ?? (await loadFactory());
    // Fine-tuned models on Azure are called through a deployment, made on first use.
    return withDeployments(await factory(this.config, { workspace: this.options.workspace, env: this.options.env }));
  }
}

async function loadFactory(): Promise<ProviderFactory> {
  // A variable specifier: the providers module is optional in builds that leave it out.
  const specifier = '../providers/index.js';
  const module = (await import(specifier).catch(() => null)) as { createProvider?: ProviderFactory } | null;
  if (!module?.createProvider) throw new FtpipeError('this build of ftpipe has no providers module', 'STUDIO_NO_PROVIDER', { exitCode: ExitCode.usage });
  return module.createProvider;
}

/** Checks the browser's request (an HTTP edge: nothing is trusted). */
export function validChatInput(input: unknown): ChatInput {
  const bad = (message: string) => new FtpipeError(message, 'STUDIO_BAD_CHAT', { hint: 'pick a model and write a message' });
  if (!input || typeof input !== 'object') throw bad('the chat request must be a JSON object');
  const value = input as Record<string, unknown>;
  if (typeof value.model !== 'string' || value.model === '') throw bad('no model chosen');
  if (!Array.isArray(value.messages) || value.messages.length === 0) throw bad('no messages to send');
  const messages = value.messages.map((m, i) => {
    const msg = m as Record<string, unknown> | null;
    if (!msg || typeof msg.role !== 'string' || !ROLES.has(msg.role) || typeof msg.content !== 'string') throw bad(`message ${i + 1} needs a role (system, user, assistant) and text content`);
    return { role: msg.role as ChatMessage['role'], content: msg.content };
  });
  const temperature = optionalNumber(value.temperature, 0, 2, 'temperature', bad);
  const max_tokens = optionalNumber(value.max_tokens, 1, 1_000_000, 'max_tokens', bad);
  return { model: value.model, messages, temperature, max_tokens: max_tokens === undefined ? undefined : Math.round(max_tokens) };
}

function optionalNumber(value: unknown, min: number, max: number, name: string, bad: (m: string) => Error): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw bad(`${name} must be a number from ${min} to ${max}`);
  return n;
}
