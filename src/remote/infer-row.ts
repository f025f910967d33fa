import type { InferResult } from './inference.js';

/** One row of infer's output: what was asked, what came back, what was expected. */
export function inferRowOf(result: InferResult) {
  return { messages: result.input.messages, completion: result.completion, expected: result.input.expected, finish_reason: result.finishReason };
}
