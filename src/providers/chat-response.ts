/**
 * Chat requests and answers in the shape every OpenAI-compatible API shares (OpenAI, Azure, Together,
 * Fireworks' inference API): the body sent, and the answer as ftpipe's ChatResponse.
 */
import { requiresMaxCompletionTokens } from '../models/catalog.js';
import { rateLimitFromHeaders } from './rate-limit-headers.js';
import type { ChatRequest, ChatResponse } from './types.js';

interface Completion {
  choices: Array<{ message?: { content?: string | null } | null; finish_reason?: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

export function toChatResponse(completion: Completion, headers: Headers): ChatResponse {
  const choice = completion.choices[0];
  return {
    content: choice?.message?.content ?? '',
    finishReason: choice?.finish_reason ?? 'unknown',
    usage: completion.usage ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens } : undefined,
    raw: completion,
    rateLimit: rateLimitFromHeaders(headers),
  };
}

/**
 * The body of a chat request. OpenAI's reasoning models (o-series, gpt-5) refuse max_tokens: the limit
 * goes as max_completion_tokens to them, and as max_tokens everywhere else (servers that predate it).
 */
export function chatBody(request: ChatRequest): Record<string, unknown> & { model: string; stream: false } {
  const { max_tokens: maxTokens, ...rest } = request;
  if (maxTokens === undefined) return { ...rest, stream: false };
  return requiresMaxCompletionTokens(request.model) ? { ...rest, max_completion_tokens: maxTokens, stream: false } : { ...rest, max_tokens: maxTokens, stream: false };
}
