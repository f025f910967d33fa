/**
 * The per-example checks of OpenAI's cookbook (Chat_finetuning_data_prep) extended to today's format:
 * tools / tool_calls, `weight` 0|1 on assistant messages, `name`, and preference (DPO) examples.
 * Pure and self-contained so it runs the same in a worker thread and inline.
 */
import { countExampleTokens, type EncodingName } from './tokens.js';

export interface Issue {
  kind: string;
  message: string;
}

export interface ExampleAnalysis {
  method: 'sft' | 'dpo' | 'unknown';
  /** Format errors (the cookbook's format_errors kinds plus today's); any one makes the example invalid. */
  errors: Issue[];
  warnings: Issue[];
  nMessages: number;
  totalTokens: number;
  assistantTokens: number;
  missingSystem: boolean;
  missingUser: boolean;
}

const allowedKeys = new Set(['role', 'content', 'name', 'function_call', 'weight', 'tool_calls', 'tool_call_id']);
const allowedRoles = new Set(['system', 'developer', 'user', 'assistant', 'function', 'tool']);

export function analyzeExample(value: unknown, encoding: EncodingName): ExampleAnalysis {
  const result: ExampleAnalysis = { method: 'unknown', errors: [], warnings: [], nMessages: 0, totalTokens: 0, assistantTokens: 0, missingSystem: false, missingUser: false };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    result.errors.push({ kind: 'data_type', message: 'example is not a JSON object' });
    return result;
  }
  const example = value as Record<string, any>;
  let messages: unknown;
  if (example.messages === undefined && example.input !== undefined) {
    result.method = 'dpo';
    messages = example.input?.messages;
    checkPreferenceOutputs(example, result);
    checkTools(example.input?.tools, result);
  } else {
    result.method = 'sft';
    messages = example.messages;
    checkTools(example.tools, result);
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    result.errors.push({ kind: 'missing_messages_list', message: result.method === 'dpo' ? 'input.messages is missing or empty' : '"messages" is missing or empty' });
    return result;
  }
  messages.forEach((message, i) => checkMessage(message, i, result));
  const roles = messages.map((m) => (m && typeof m === 'object' ? (m as any).role : undefined));
  if (result.method === 'sft' && !roles.includes('assistant')) {
    result.errors.push({ kind: 'example_missing_assistant_message', message: 'no assistant message' });
  }
  result.missingSystem = !roles.includes('system') && !roles.includes('developer');
  result.missingUser = !roles.includes('user');
  result.nMessages = messages.length;
  const tokens = countExampleTokens(example, encoding);
  result.totalTokens = tokens.total;
  result.assistantTokens = tokens.assistant;
  return result;
}

function checkMessage(message: unknown, i: number, result: ExampleAnalysis): void {
  const at = `messages[${i}]`;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    result.errors.push({ kind: 'message_missing_key', message: `${at} is not an object` });
    return;
  }
  const m = message as Record<string, any>;
  if (!('role' in m) || !('content' in m)) {
    const hasToolCalls = Array.isArray(m.tool_calls) || m.function_call !== undefined;
    if (!('role' in m) || !hasToolCalls) result.errors.push({ kind: 'message_missing_key', message: `${at} lacks ${'role' in m ? '"content"' : '"role"'}` });
  }
  const unknown = Object.keys(m).filter((k) => !allowedKeys.has(k));
  if (unknown.length > 0) result.errors.push({ kind: 'message_unrecognized_key', message: `${at} has unrecognized key(s) ${unknown.map((k) => `"${k}"`).join(', ')}` });
  if (!allowedRoles.has(m.role)) result.errors.push({ kind: 'unrecognized_role', message: `${at} has role ${JSON.stringify(m.role)} (expected system, user, assistant, tool or function)` });
  const hasCall = (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) || (m.function_call !== undefined && m.function_call !== null);
  const content = m.content;
  const contentOk = typeof content === 'string' ? content !== '' || hasCall : Array.isArray(content) ? content.length > 0 : (content === null || content === undefined) && hasCall;
  if (!contentOk) result.errors.push({ kind: 'missing_content', message: `${at} (${m.role}) has no text content` });
  if ('weight' in m) {
    if (m.weight !== 0 && m.weight !== 1) result.errors.push({ kind: 'invalid_weight', message: `${at}.weight must be 0 or 1, got ${JSON.stringify(m.weight)}` });
    else if (m.role !== 'assistant') result.errors.push({ kind: 'invalid_weight', message: `${at}.weight is only allowed on assistant messages` });
  }
  if ('name' in m && typeof m.name !== 'string') result.errors.push({ kind: 'invalid_name', message: `${at}.name must be a string` });
  if ('tool_calls' in m) checkToolCalls(m.tool_calls, at, result);
  if (m.role === 'tool' && typeof m.tool_call_id !== 'string') result.errors.push({ kind: 'missing_tool_call_id', message: `${at} (tool) has no "tool_call_id"` });
}

function checkToolCalls(calls: unknown, at: string, result: ExampleAnalysis): void {
  const ok = Array.isArray(calls) && calls.every((c) => c && typeof c === 'object' && typeof c.id === 'string' && c.type === 'function' && typeof c.function?.name === 'string' && typeof c.function?.arguments === 'string');
  if (!ok) result.errors.push({ kind: 'invalid_tool_calls', message: `${at}.tool_calls must be a list of {id, type: "function", function: {name, arguments: string}}` });
}

function checkTools(tools: unknown, result: ExampleAnalysis): void {
  if (tools === undefined) return;
  const ok = Array.isArray(tools) && tools.every((t) => t && typeof t === 'object' && t.type === 'function' && typeof t.function?.name === 'string');
  if (!ok) result.errors.push({ kind: 'invalid_tools', message: '"tools" must be a list of {type: "function", function: {name, …}}' });
}

function checkPreferenceOutputs(example: Record<string, any>, result: ExampleAnalysis): void {
  for (const key of ['preferred_output', 'non_preferred_output']) {
    const out = example[key];
    const ok = Array.isArray(out) && out.length === 1 && out[0]?.role === 'assistant' && (typeof out[0].content === 'string' || Array.isArray(out[0].tool_calls));
    if (!ok) result.errors.push({ kind: 'invalid_preference_output', message: `"${key}" must be a list of exactly one assistant message` });
  }
}
