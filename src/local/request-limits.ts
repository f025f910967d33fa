/**
 * What one request may ask of the local provider, so no client can tie it up: OpenAI's own bounds where
 * it has them (n ≤ 128, a model's completion-token maximum, its context window) and a compute deadline.
 */
export interface RequestLimits {
  /** Largest upload body (bytes). */
  fileBytes: number;
  /** Largest JSON body (bytes). */
  jsonBytes: number;
  /** Largest `n` of a chat completion (OpenAI: 128). */
  maxChoices: number;
  /** Largest `max_tokens` / `max_completion_tokens` (gpt-4o-mini's and gpt-4.1's output limit class). */
  maxCompletionTokens: number;
  /** Largest prompt, in tokens (the 128k context window of the 4o / 4.1 families). */
  maxPromptTokens: number;
  /** A chat completion that computes longer than this is abandoned with a 504 (ms). */
  computeMs: number;
}

export const DEFAULT_REQUEST_LIMITS: Omit<RequestLimits, 'fileBytes' | 'jsonBytes'> = {
  maxChoices: 128,
  maxCompletionTokens: 16_384,
  maxPromptTokens: 128_000,
  computeMs: 30_000,
};
