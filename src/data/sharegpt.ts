/**
 * One ShareGPT record → one chat example. Role aliases follow FastChat and the ShareGPT exports;
 * tool turns are refused: ShareGPT keeps them as plain text without the tool_calls/tool_call_id
 * pairs that OpenAI's chat format requires, so a faithful mapping is not possible.
 */
import type { ChatExample, ChatMessage } from './chat-example.js';

export type TaskType = 'answering' | 'classification';

const roleAliases: Record<string, 'user' | 'assistant' | 'system'> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bing: 'assistant',
  bard: 'assistant',
  model: 'assistant',
  system: 'system',
};
const toolRoles = new Set(['tool', 'observation', 'function_call', 'function', 'function_response']);

export type ConversionResult =
  | { example: ChatExample }
  | { problem: string; kind: string; id?: unknown };

export function convertConversation(value: unknown, options: { sysPrompt?: string; taskType: TaskType }): ConversionResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'record is not a JSON object', kind: 'data_type' };
  const record = value as Record<string, unknown>;
  const id = record.id;
  const turns = record.conversations;
  if (!Array.isArray(turns)) return { problem: 'record has no "conversations" list', kind: 'missing_conversations', id };
  if (turns.length === 0) return { problem: '"conversations" is empty', kind: 'empty_conversation', id };

  const messages: ChatMessage[] = [];
  // A record's own system prompt wins over the stage's sys_prompt (FastChat's with-system files).
  const system = typeof record.system === 'string' && record.system !== '' ? record.system : options.sysPrompt;
  if (system !== undefined && system !== '') messages.push({ role: 'system', content: system });
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i] as Record<string, unknown>;
    if (typeof turn !== 'object' || turn === null) return { problem: `conversations[${i}] is not an object`, kind: 'data_type', id };
    const from = typeof turn.from === 'string' ? turn.from.toLowerCase() : undefined;
    if (from === undefined) return { problem: `conversations[${i}] has no "from"`, kind: 'missing_from', id };
    if (toolRoles.has(from)) {
      return { problem: `conversations[${i}] is a "${turn.from}" turn: tool turns are not converted (OpenAI's format needs tool_calls with ids)`, kind: 'unsupported_role', id };
    }
    const role = roleAliases[from];
    if (!role) return { problem: `conversations[${i}] has unknown role "${turn.from}" (known: ${Object.keys(roleAliases).join(', ')})`, kind: 'unrecognized_role', id };
    if (typeof turn.value !== 'string') return { problem: `conversations[${i}].value is not a string`, kind: 'missing_value', id };
    if (turn.value.trim() === '') return { problem: `conversations[${i}] (${turn.from}) is empty`, kind: 'empty_turn', id };
    const content = role === 'assistant' && options.taskType === 'classification' ? classificationLabel(turn.value) : turn.value;
    messages.push({ role, content });
  }
  const problem = alternationProblem(messages);
  if (problem) return { problem, kind: 'non_alternating', id };
  return { example: { messages } };
}

/** data_process.py's classification label: "['proxy', 'transit']" → "'proxy','transit'". */
export function classificationLabel(value: string): string {
  return value.replaceAll('[', '').replaceAll(']', '').replaceAll(' ', '');
}

/** After an optional leading system message, turns go user, assistant, user, …, ending with the assistant. */
function alternationProblem(messages: ChatMessage[]): string | null {
  const turns = messages[0]?.role === 'system' ? messages.slice(1) : messages;
  for (let i = 0; i < turns.length; i++) {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (turns[i].role !== expected) return `turn ${i + 1} is "${turns[i].role}" where "${expected}" was expected (turns must alternate user/assistant)`;
  }
  if (turns.length === 0 || turns[turns.length - 1].role !== 'assistant') return 'conversation does not end with an assistant turn';
  return null;
}
