/**
 * The prompt's token count (the cookbook formula of src/data/tokens.ts), counted slice by slice with a
 * turn between slices, and refused as soon as it passes the context window, like OpenAI's
 * context_length_exceeded: a 10 MB prompt costs one window's worth of counting, not ten megabytes'.
 */
import { countExampleTokens, countTextTokens, type EncodingName } from '../../data/tokens.js';
import { invalidRequest } from '../api-error.js';
import type { PromptMessage } from '../trainer/features.js';
import type { ComputeBudget } from './compute-budget.js';
import { textSlices } from './text-slices.js';

export async function countPromptTokens(messages: PromptMessage[], encoding: EncodingName, limit: number, budget: ComputeBudget): Promise<number> {
  // String contents are counted in slices; everything else (roles, names, part lists) in one go.
  const frames = messages.map((m) => (typeof m.content === 'string' ? { ...m, content: '' } : m));
  let total = countExampleTokens({ messages: frames }, encoding).total;
  for (const message of messages) {
    if (typeof message.content !== 'string') continue;
    for (const slice of textSlices(message.content)) {
      total += countTextTokens(slice, encoding);
      if (total > limit) throw contextExceeded(limit);
      await budget.turn();
    }
  }
  if (total > limit) throw contextExceeded(limit);
  return total;
}

function contextExceeded(limit: number): Error {
  return invalidRequest(`This model's maximum context length is ${limit} tokens. However, your messages resulted in more than ${limit} tokens. Please reduce the length of the messages.`, 'messages', 'context_length_exceeded');
}
