/**
 * The clean stage's rules, each with a stable id (used in params and in the report). A rule either
 * rewrites an example (fix) or drops it; every hit is counted.
 */
import { contentText, type ChatExample } from './chat-example.js';
import { prefixTarget } from './common-prefix.js';
import { countExampleTokens, type EncodingName } from './tokens.js';

export const ruleIds = [
  'normalize-line-endings',
  'normalize-whitespace',
  'drop-empty-message',
  'drop-empty-example',
  'require-assistant',
  'strip-common-prefix',
  'max-tokens',
  'dedupe-exact',
  'dedupe-normalized',
  'leakage',
] as const;
export type RuleId = (typeof ruleIds)[number];

export type RuleOutcome = { action: 'keep' } | { action: 'fixed'; example: ChatExample } | { action: 'drop'; reason: string };

/** Rewrites the string content of every message; returns null when nothing changed. */
function mapContents(example: ChatExample, fn: (text: string) => string): ChatExample | null {
  let changed = false;
  const messages = example.messages.map((m) => {
    if (typeof m.content !== 'string') return m;
    const next = fn(m.content);
    if (next === m.content) return m;
    changed = true;
    return { ...m, content: next };
  });
  return changed ? { ...example, messages } : null;
}

export function normalizeLineEndings(example: ChatExample): RuleOutcome {
  const fixed = mapContents(example, (t) => t.replace(/\r\n?/g, '\n'));
  return fixed ? { action: 'fixed', example: fixed } : { action: 'keep' };
}

/** Trims each content and the spaces at line ends; inner spacing (code, tables) is kept. */
export function normalizeWhitespace(example: ChatExample): RuleOutcome {
  const fixed = mapContents(example, (t) => t.replace(/[ \t]+$/gm, '').trim());
  return fixed ? { action: 'fixed', example: fixed } : { action: 'keep' };
}

/** Drops messages with empty content that carry no tool call (they train nothing). */
export function dropEmptyMessages(example: ChatExample): RuleOutcome {
  const messages = example.messages.filter((m) => contentText(m).trim() !== '' || Array.isArray(m.tool_calls) || m.function_call);
  return messages.length === example.messages.length ? { action: 'keep' } : { action: 'fixed', example: { ...example, messages } };
}

export function dropEmptyExample(example: ChatExample): RuleOutcome {
  return example.messages.some((m) => m.role !== 'system') ? { action: 'keep' } : { action: 'drop', reason: 'no messages besides the system prompt' };
}

export function requireAssistant(example: ChatExample): RuleOutcome {
  return example.messages.some((m) => m.role === 'assistant') ? { action: 'keep' } : { action: 'drop', reason: 'no assistant message' };
}

/**
 * Strips `prefix` (the common prefix found in a first pass, see common-prefix.ts) from the example's
 * first user message, and with trimStart (normalize-whitespace is on) the whitespace after it.
 * 'empty' when nothing but the prefix (and whitespace) would be left: the caller keeps the message.
 */
export function stripCommonPrefix(example: ChatExample, prefix: string, options: { trimStart?: boolean } = {}): RuleOutcome | { action: 'empty' } {
  if (prefix === '') return { action: 'keep' };
  const at = prefixTarget(example.messages);
  const content = at < 0 ? undefined : example.messages[at].content;
  if (typeof content !== 'string' || !content.startsWith(prefix)) return { action: 'keep' };
  let rest = content.slice(prefix.length);
  if (options.trimStart) rest = rest.trimStart();
  if (rest.trim() === '') return { action: 'empty' };
  const messages = example.messages.slice();
  messages[at] = { ...messages[at], content: rest };
  return { action: 'fixed', example: { ...example, messages } };
}

export function maxTokens(example: ChatExample, limit: number, encoding: EncodingName): RuleOutcome {
  const { total } = countExampleTokens(example, encoding);
  return total > limit ? { action: 'drop', reason: `${total} tokens > max_tokens ${limit}` } : { action: 'keep' };
}
