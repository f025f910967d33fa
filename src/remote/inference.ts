/**
 * Runs prompts against a (fine-tuned) model with bounded concurrency, keeping input order in the
 * results and only a small window of inputs in memory. Where the provider needs a deployment
 * (Azure), the model is deployed first (idempotent, see callable-model.ts) and optionally torn down after.
 */
import pLimit from 'p-limit';
import type { ChatResponse, Provider } from '../providers/types.js';
import { callableModels } from './callable-model.js';
import type { InferInput } from './infer-inputs.js';

export interface InferResult {
  input: InferInput;
  completion: string;
  finishReason: string;
  usage?: ChatResponse['usage'];
}

export interface InferenceOptions {
  provider: Provider;
  model: string;
  inputs: AsyncIterable<InferInput> | Iterable<InferInput>;
  maxTokens?: number;
  temperature?: number;
  concurrency?: number;
  signal?: AbortSignal;
  /** Delete the deployment afterwards (Azure bills deployed fine-tuned models by the hour). */
  teardown?: boolean;
  /** Called once per input, in input order. */
  onResult(result: InferResult): Promise<void> | void;
  log?: (message: string) => void;
}

export async function runInference(options: InferenceOptions): Promise<{ count: number }> {
  const { provider } = options;
  const models = callableModels(provider);
  const callable = await models.callableName(options.model, { signal: options.signal, log: options.log });
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const limit = pLimit(concurrency);
  // Results are written in order from the head of this window; it holds at most a few batches.
  const window: Array<Promise<InferResult>> = [];
  let count = 0;
  const drainOne = async () => {
    await options.onResult(await window.shift()!);
    count++;
  };
  try {
    for await (const input of options.inputs) {
      window.push(
        limit(async () => {
          const response = await provider.chat({ model: callable, messages: input.messages, max_tokens: options.maxTokens, temperature: options.temperature }, { signal: options.signal });
          return { input, completion: response.content, finishReason: response.finishReason, usage: response.usage };
        }),
      );
      // Keep rejections from going unhandled while they wait their turn in the window.
      window[window.length - 1].catch(() => {});
      if (window.length >= concurrency * 4) await drainOne();
    }
    while (window.length) await drainOne();
  } finally {
    limit.clearQueue();
    if (options.teardown) await models.teardown(options.model, { signal: options.signal });
  }
  return { count };
}
