/**
 * The body of POST /v1/chat/completions checked at the edge, with OpenAI's bounds and messages:
 * n ≤ 128 (integer_above_max_value), max_tokens ≤ the model's completion limit, temperature 0–2.
 */
import { invalidRequest } from '../api-error.js';
import type { RequestLimits } from '../request-limits.js';
import type { PromptMessage } from '../trainer/features.js';

export interface ChatRequest {
  model: string;
  messages: PromptMessage[];
  temperature: number;
  maxTokens: number | undefined;
  n: number;
  seed: number | undefined;
  stop: string[];
  stream: boolean;
  includeUsage: boolean;
}

export function parseChatRequest(body: Record<string, unknown>, limits: RequestLimits): ChatRequest {
  const model = typeof body.model === 'string' ? body.model : '';
  if (!model) throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const messages = checkMessages(body.messages);
  const maxTokens = completionLimit(body, 'max_completion_tokens', limits) ?? completionLimit(body, 'max_tokens', limits);
  const n = integerAtLeast1(body.n, 'n') ?? 1;
  if (n > limits.maxChoices) throw invalidRequest(`Invalid 'n': integer above maximum value. Expected a value <= ${limits.maxChoices}, but got ${n} instead.`, 'n', 'integer_above_max_value');
  const stop = body.stop === undefined || body.stop === null ? [] : Array.isArray(body.stop) ? body.stop.map(String) : [String(body.stop)];
  if (stop.length > 4) throw invalidRequest("Invalid 'stop': array too long. Expected an array with maximum length 4.", 'stop', 'array_above_max_length');
  return {
    model,
    messages,
    temperature: numberIn(body.temperature, 'temperature', 0, 2) ?? 1,
    maxTokens,
    n,
    seed: typeof body.seed === 'number' && Number.isFinite(body.seed) ? body.seed : undefined,
    stop,
    stream: body.stream === true,
    includeUsage: (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
  };
}

function completionLimit(body: Record<string, unknown>, name: string, limits: RequestLimits): number | undefined {
  const value = integerAtLeast1(body[name], name);
  if (value !== undefined && value > limits.maxCompletionTokens) {
    throw invalidRequest(`${name} is too large: ${value}. This model supports at most ${limits.maxCompletionTokens} completion tokens, whereas you provided ${value}.`, name, 'invalid_value');
  }
  return value;
}

function checkMessages(value: unknown): PromptMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  value.forEach((m, i) => {
    if (typeof m !== 'object' || m === null || typeof (m as PromptMessage).role !== 'string') {
      throw invalidRequest(`Invalid 'messages[${i}]': expected an object with a 'role'.`, `messages[${i}]`, 'invalid_value');
    }
  });
  return value as PromptMessage[];
}

function numberIn(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || value < min || value > max) throw invalidRequest(`Invalid '${name}': ${JSON.stringify(value)}. Expected a number from ${min} to ${max}.`, name, 'invalid_value');
  return value;
}

function integerAtLeast1(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw invalidRequest(`Invalid '${name}': ${JSON.stringify(value)}. Expected an integer of at least 1.`, name, 'invalid_value');
  return value as number;
}
