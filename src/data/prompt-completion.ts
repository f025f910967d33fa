/** One legacy prompt/completion example ↔ one chat example; a string result says why it cannot be converted. */
import { contentText, type ChatExample, type ChatMessage } from './chat-example.js';

export interface PromptCompletionOptions {
  sysPrompt?: string;
  /** Marks the end of every prompt in the legacy data ("" = none). */
  separator: string;
  /** Ends every completion in the legacy data ("" = none). */
  stop: string;
  /** Legacy completions start with a space. */
  leadingSpace: boolean;
}

export function promptCompletionToChat(value: unknown, options: PromptCompletionOptions): ChatExample | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'row is not a JSON object';
  const { prompt, completion } = value as Record<string, unknown>;
  if (typeof prompt !== 'string') return 'row has no string "prompt"';
  if (typeof completion !== 'string') return 'row has no string "completion"';
  let user = prompt;
  if (options.separator && user.endsWith(options.separator)) user = user.slice(0, -options.separator.length);
  let assistant = completion;
  if (options.stop && assistant.endsWith(options.stop)) assistant = assistant.slice(0, -options.stop.length);
  if (options.leadingSpace && assistant.startsWith(' ')) assistant = assistant.slice(1);
  const messages: ChatMessage[] = [];
  if (options.sysPrompt) messages.push({ role: 'system', content: options.sysPrompt });
  messages.push({ role: 'user', content: user }, { role: 'assistant', content: assistant });
  return { messages };
}

/**
 * The last assistant message becomes the completion; the user/assistant turns before it become the
 * prompt (a single user turn as it is, several turns as "User: …"/"Assistant: …" lines). System
 * messages are dropped: the legacy format has no place for them.
 */
export function chatToPromptCompletion(value: unknown, options: PromptCompletionOptions): { prompt: string; completion: string } | string {
  const messages = (value as ChatExample | null)?.messages;
  if (!Array.isArray(messages)) return 'row has no "messages" list';
  const last = messages.map((m) => m?.role).lastIndexOf('assistant');
  if (last === -1) return 'row has no assistant message';
  const turns = messages.slice(0, last).filter((m) => m.role !== 'system');
  if (turns.length === 0) return 'row has no user message before the assistant answer';
  const prompt = turns.length === 1 ? contentText(turns[0]) : turns.map((m) => `${m.role === 'assistant' ? 'Assistant' : 'User'}: ${contentText(m)}`).join('\n');
  const completion = (options.leadingSpace ? ' ' : '') + contentText(messages[last]) + options.stop;
  return { prompt: prompt + options.separator, completion };
}
