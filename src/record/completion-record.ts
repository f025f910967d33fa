/**
 * Turns a chat completion call (request + response) into dataset records: the request's messages
 * followed by the assistant's reply, one record per returned choice. Streams are put back together
 * chunk by chunk (content and tool-call deltas) and recorded only when they end normally.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { DatasetRecord } from './dataset-store.js';

export interface AssistantReply {
  content: string | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
}

export interface CallFacts {
  /** The model that answered (from the response). */
  model: string;
  /** Unix seconds from the response. */
  created: number;
  requestId?: string | null;
  tags: Record<string, string>;
}

export function recordsFromReplies(request: ChatCompletionCreateParamsBase, replies: AssistantReply[], facts: CallFacts): DatasetRecord[] {
  const metadata: Record<string, string> = { ...facts.tags, model: facts.model, created: new Date(facts.created * 1000).toISOString() };
  if (facts.requestId) metadata.request_id = facts.requestId;
  return replies.map((reply) => {
    const assistant: Record<string, unknown> = { role: 'assistant', content: reply.content };
    if (reply.tool_calls?.length) assistant.tool_calls = reply.tool_calls;
    const record: DatasetRecord = { messages: [...(request.messages as unknown as Array<Record<string, unknown>>), assistant], metadata };
    if (request.tools?.length) record.tools = request.tools;
    return record;
  });
}

export function repliesOfCompletion(completion: ChatCompletion): AssistantReply[] {
  return [...completion.choices].sort((a, b) => a.index - b.index).map(({ message }) => {
    const reply: AssistantReply = { content: message.content };
    const calls = message.tool_calls?.filter((c) => c.type === 'function');
    if (calls?.length) reply.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } }));
    return reply;
  });
}

/** Accumulates stream chunks into the replies they spell out. */
export class StreamedReplies {
  model = '';
  created = 0;
  private readonly choices = new Map<number, { content: string | null; calls: Map<number, { id: string; name: string; arguments: string }> }>();

  add(chunk: ChatCompletionChunk): void {
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    for (const choice of chunk.choices ?? []) {
      let reply = this.choices.get(choice.index);
      if (!reply) this.choices.set(choice.index, (reply = { content: null, calls: new Map() }));
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string') reply.content = (reply.content ?? '') + delta.content;
      for (const call of delta.tool_calls ?? []) {
        let acc = reply.calls.get(call.index);
        if (!acc) reply.calls.set(call.index, (acc = { id: '', name: '', arguments: '' }));
        acc.id ||= call.id ?? '';
        acc.name += call.function?.name ?? '';
        acc.arguments += call.function?.arguments ?? '';
      }
    }
  }

  replies(): AssistantReply[] {
    return [...this.choices.entries()].sort(([a], [b]) => a - b).map(([, reply]) => {
      const calls = [...reply.calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
      return calls.length ? { content: reply.content, tool_calls: calls } : { content: reply.content };
    });
  }
}
