/**
 * The keys examples are compared by (clean's dedupe rules and leakage, split's hash). exactKey: the
 * example's canonical JSON (key order never matters). normalizedKey: what reaches training, with case
 * and spacing of message text folded: every message field (role, content, name, weight, tool calls
 * with their arguments, tool_call_id, function_call) plus tools, functions and parallel_tool_calls.
 * Tool-call ids are replaced by their order (they only link a call to its result) and arguments are
 * compared as JSON values; top-level fields that never reach training (ids, metadata) are left out.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { DigestSet } from './digest-set.js';
import type { ChatExample, ChatMessage } from './chat-example.js';

export function exactKey(example: unknown): string {
  return canonicalJson(example);
}

const trainingFields = ['tools', 'functions', 'parallel_tool_calls'] as const;

export function normalizedKey(example: ChatExample): string {
  const callOrder = new Map<string, number>();
  const form: Record<string, unknown> = { messages: example.messages.map((m) => normalizeMessage(m, callOrder)) };
  for (const field of trainingFields) if (example[field] !== undefined) form[field] = example[field];
  return canonicalJson(form);
}

function normalizeMessage(message: ChatMessage, callOrder: Map<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    if (key === 'content') {
      // null and absent content train the same.
      if (value !== null && value !== undefined) out.content = typeof value === 'string' ? foldText(value) : Array.isArray(value) ? value.map(normalizePart) : value;
    } else if (key === 'tool_calls' && Array.isArray(value)) {
      out.tool_calls = value.map((call) => normalizeCall(call, callOrder));
    } else if (key === 'function_call') {
      out.function_call = normalizeFunction(value);
    } else if (key === 'tool_call_id' && typeof value === 'string' && callOrder.has(value)) {
      out.tool_call_id = `#${callOrder.get(value)}`;
    } else out[key] = value;
  }
  return out;
}

function normalizeCall(call: unknown, callOrder: Map<string, number>): unknown {
  if (typeof call !== 'object' || call === null) return call;
  const { id, function: fn, ...rest } = call as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest, function: normalizeFunction(fn) };
  if (typeof id === 'string') {
    if (!callOrder.has(id)) callOrder.set(id, callOrder.size);
    out.id = `#${callOrder.get(id)}`;
  } else if (id !== undefined) out.id = id;
  return out;
}

/** Arguments as a JSON value when they parse ({json}), else as text ({text}), so the two never collide. */
function normalizeFunction(fn: unknown): unknown {
  if (typeof fn !== 'object' || fn === null || typeof (fn as Record<string, unknown>).arguments !== 'string') return fn;
  const args = (fn as Record<string, unknown>).arguments as string;
  let parsed: { json: unknown } | { text: string };
  try {
    parsed = { json: JSON.parse(args) };
  } catch {
    parsed = { text: args };
  }
  return { ...fn, arguments: parsed };
}

function normalizePart(part: unknown): unknown {
  if (typeof part !== 'object' || part === null) return part;
  const p = part as Record<string, unknown>;
  return typeof p.text === 'string' ? { ...p, text: foldText(p.text) } : p;
}

function foldText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface Place {
  /** Index into the stage's list of files. */
  file: number;
  line: number;
}

/** Which keys were seen, and where first: 16-byte digests plus 8 bytes of place, never the examples. */
export class FirstSeen {
  private readonly seen = new DigestSet(1 << 16, 2);

  /** Where the key was seen first, or null (and it is remembered at `place`). */
  check(key: string, place: Place): Place | null {
    const slot = this.seen.findOrAdd(createHash('md5').update(key).digest(), place.file, place.line);
    return slot < 0 ? null : { file: this.seen.value(slot, 0), line: this.seen.value(slot, 1) };
  }

  /** Where the key was seen first, without remembering it. */
  find(key: string): Place | null {
    const slot = this.seen.lookup(createHash('md5').update(key).digest());
    return slot < 0 ? null : { file: this.seen.value(slot, 0), line: this.seen.value(slot, 1) };
  }
}
