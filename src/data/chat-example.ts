/** The chat fine-tuning example (OpenAI chat format) as read from JSONL, and a light shape check. */

export interface ChatMessage {
  role: string;
  content?: string | null | unknown[];
  name?: string;
  weight?: number;
  tool_calls?: unknown[];
  tool_call_id?: string;
  function_call?: unknown;
  [key: string]: unknown;
}

export interface ChatExample {
  messages: ChatMessage[];
  tools?: unknown[];
  functions?: unknown[];
  [key: string]: unknown;
}

/** A preference (DPO) example. */
export interface PreferenceExample {
  input: { messages: ChatMessage[]; tools?: unknown[] };
  preferred_output: ChatMessage[];
  non_preferred_output: ChatMessage[];
}

/** Why a value is not a usable chat example, or null when it is one (messages with string roles). */
export function chatShapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'example is not a JSON object';
  const messages = (value as Record<string, unknown>).messages;
  if (!Array.isArray(messages)) return 'example has no "messages" list';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return `messages[${i}] is not an object`;
    if (typeof (m as ChatMessage).role !== 'string') return `messages[${i}] has no "role"`;
    const content = (m as ChatMessage).content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return `messages[${i}].content must be a string`;
    }
  }
  return null;
}

/** Text of a message's content: strings as they are, content parts joined by their text. */
export function contentText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (part && typeof part === 'object' && typeof (part as any).text === 'string' ? (part as any).text : '')).join('');
  }
  return '';
}

/** The classification label of an example: its last assistant message. */
export function lastAssistantContent(example: ChatExample): string | undefined {
  for (let i = example.messages.length - 1; i >= 0; i--) {
    if (example.messages[i].role === 'assistant') return contentText(example.messages[i]);
  }
  return undefined;
}
