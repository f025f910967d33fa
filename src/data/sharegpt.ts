/**
 * One ShareGPT record → one chat example. Role aliases follow FastChat and the ShareGPT exports;
 * tool turns are refused: ShareGPT keeps them as plain text without the tool_calls/tool_call_id
 * pairs that OpenAI's chat format requires, so a faithful mapping is not possible. A record's
 * `tools` (a list, or its JSON text as LLaMA-Factory writes it) and each turn's `weight` are carried.
 */
import type { ChatExample, ChatMessage } from './chat-example.js';
import { quoteInput } from './quoted-input.js';

export type TaskType = 'answering' | 'classification';
/** A conversation whose first turn (after system) is the assistant's: FastChat drops that turn. */
export type LeadingAssistant = 'drop' | 'fail';

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
  | { example: ChatExample; notes: Array<{ kind: string; message: string }> }
  | { problem: string; kind: string; id?: unknown };

export interface ConversionOptions {
  sysPrompt?: string;
  taskType: TaskType;
  onLeadingAssistant?: LeadingAssistant;
}

export function convertConversation(value: unknown, options: ConversionOptions): ConversionResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'record is not a JSON object', kind: 'data_type' };
  const record = value as Record<string, unknown>;
  const id = record.id;
  const turns = record.conversations;
  if (!Array.isArray(turns)) return { problem: 'record has no "conversations" list', kind: 'missing_conversations', id };
  if (turns.length === 0) return { problem: '"conversations" is empty', kind: 'empty_conversation', id };

  const tools = parseTools(record.tools);
  if (typeof tools === 'string') return { problem: tools, kind: 'invalid_tools', id };
  const messages: ChatMessage[] = [];
  const notes: Array<{ kind: string; message: string }> = [];
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
    if (!role) return { problem: `conversations[${i}] has unknown role ${quoteInput(String(turn.from), 60)} (known: ${Object.keys(roleAliases).join(', ')})`, kind: 'unrecognized_role', id };
    if (typeof turn.value !== 'string') return { problem: `conversations[${i}].value is not a string`, kind: 'missing_value', id };
    if (turn.value.trim() === '') return { problem: `conversations[${i}] (${turn.from}) is empty`, kind: 'empty_turn', id };
    if (role === 'assistant' && messages.every((m) => m.role === 'system')) {
      // FastChat's preprocess skips a first turn that is not the human's; so does drop.
      if (options.onLeadingAssistant === 'fail') return { problem: `conversations[${i}] is an assistant turn before any user turn`, kind: 'leading_assistant', id };
      notes.push({ kind: 'leading_assistant_dropped', message: `conversations[${i}], an assistant turn before any user turn, was dropped (on_leading_assistant: drop)` });
      continue;
    }
    const content = role === 'assistant' && options.taskType === 'classification' ? classificationLabel(turn.value) : turn.value;
    const message: ChatMessage = { role, content };
    if (turn.weight !== undefined) {
      // OpenAI's format takes weight 0 or 1, on assistant messages only.
      if (role !== 'assistant') return { problem: `conversations[${i}] (${turn.from}) has a weight: only assistant turns can be weighted`, kind: 'invalid_weight', id };
      if (turn.weight !== 0 && turn.weight !== 1) return { problem: `conversations[${i}].weight is ${quoteInput(JSON.stringify(turn.weight), 40)}: it must be 0 or 1`, kind: 'invalid_weight', id };
      message.weight = turn.weight;
    }
    messages.push(message);
  }
  const problem = alternationProblem(messages);
  if (problem) return { problem, kind: 'non_alternating', id };
  return { example: tools ? { messages, tools } : { messages }, notes };
}

/**
 * A record's tools in OpenAI's form ({type: "function", function: {...}}), from a list or its JSON
 * text; a bare function definition ({name, description, parameters}) is wrapped. undefined: none;
 * a string: why they cannot be read.
 */
function parseTools(value: unknown): unknown[] | undefined | string {
  if (value === undefined || value === null || value === '') return undefined;
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch (error) {
      return `"tools" is a string that is not JSON (${(error as Error).message})`;
    }
  }
  if (!Array.isArray(list)) return '"tools" must be a list of tool definitions';
  if (list.length === 0) return undefined;
  const tools: unknown[] = [];
  for (const [i, tool] of list.entries()) {
    if (typeof tool !== 'object' || tool === null || Array.isArray(tool)) return `tools[${i}] is not an object`;
    const t = tool as Record<string, unknown>;
    if (t.type === 'function' && typeof t.function === 'object' && t.function !== null) tools.push(t);
    else if (typeof t.name === 'string') tools.push({ type: 'function', function: t });
    else return `tools[${i}] is neither {type: "function", function: {...}} nor a function definition with a "name"`;
  }
  return tools;
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
