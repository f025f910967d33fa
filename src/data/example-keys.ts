/**
 * The keys examples are compared by (clean's dedupe rules and leakage, split's hash). exactKey: the
 * example's canonical JSON (key order never matters). normalizedKey: what reaches training, with case
 * and spacing of message text folded: every message field (role, content, name, weight, tool calls
 * with their arguments, tool_call_id, function_call) plus tools, functions and parallel_tool_calls.
 * Tool-call ids are replaced by their order (they only link a call to its result) and arguments are
 * compared as JSON values; top-level fields that never reach training (ids, metadata) are left out.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { DigestSet } from './digest-set.js';
import type { ChatExample, ChatMessage } from './chat-example.js';

export function exactKey(example: unknown): string {
  return canonicalJson(example);
}

/** Top-level fields besides messages that reach training, in sorted order (messages goes before parallel_tool_calls). */
const trainingFields = ['functions', 'parallel_tool_calls', 'tools'] as const;

export function normalizedKey(example: ChatExample): string {
  const callOrder = new Map<string, number>();
  let out = '{';
  for (const field of trainingFields) {
    // Sorted key order: functions, messages, parallel_tool_calls, tools.
    if (field === 'parallel_tool_calls') out += `"messages":[${example.messages.map((m) => normalizedMessage(m, callOrder)).join(',')}],`;
    if (example[field] !== undefined) out += `${JSON.stringify(field)}:${canonicalJson(example[field])},`;
  }
  return out.slice(0, -1) + '}';
}

/** A message's canonical JSON with its text folded, tool-call ids by order and arguments as JSON values. */
function normalizedMessage(message: ChatMessage, callOrder: Map<string, number>): string {
  const keys = Object.keys(message).sort();
  let out = '{';
  for (const key of keys) {
    const value = message[key];
    if (value === undefined) continue;
    let text: string;
    if (key === 'content') {
      if (value === null) continue; // null and absent content train the same
      text = typeof value === 'string' ? JSON.stringify(foldText(value)) : Array.isArray(value) ? canonicalJson(value.map(normalizePart)) : canonicalJson(value);
    } else if (key === 'tool_calls' && Array.isArray(value)) {
      text = canonicalJson(value.map((call) => normalizeCall(call, callOrder)));
    } else if (key === 'function_call') {
      text = canonicalJson(normalizeFunction(value));
    } else if (key === 'tool_call_id' && typeof value === 'string' && callOrder.has(value)) {
      text = JSON.stringify(`#${callOrder.get(value)}`);
    } else text = canonicalJson(value);
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${text}`;
  }
  return out + '}';
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

/** Lowercase, trimmed, every whitespace run one space: text.toLowerCase().replace(/\s+/g, ' ').trim(), twice as fast. */
function foldText(text: string): string {
  const s = text.toLowerCase();
  let i = 0;
  let end = s.length;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  let out = '';
  let start = i;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isSpace(c) || (c === 0x20 && !isSpace(s.charCodeAt(i + 1)))) continue;
    out += s.slice(start, i) + ' ';
    while (isSpace(s.charCodeAt(i + 1))) i++;
    start = i + 1;
  }
  return out === '' && start === 0 && end === s.length ? s : out + s.slice(start, end);
}

/** JavaScript's \s. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export const DIGEST_BYTES = 16;

/** md5 of a key: what the sets below remember (16 bytes; the first 12 tell keys apart). */
export function keyDigest(key: string): Buffer {
  return hash('md5', key, 'buffer');
}

/**
 * The example's exact and normalized key digests, side by side (2 × DIGEST_BYTES), written into out at
 * `at`. With canonicalExact the exact one is the keyDigest of exactKey; else only its first 4 bytes are
 * set, to a 32-bit hash of `json` (the example's JSON as read or written): cheap, and enough to tell an
 * exact repeat among examples normalizedKey already found equal.
 */
export function exampleDigests(example: ChatExample, json: string, canonicalExact: boolean, out: Uint8Array = new Uint8Array(2 * DIGEST_BYTES), at = 0): Uint8Array {
  if (canonicalExact) out.set(keyDigest(exactKey(example)), at);
  else new DataView(out.buffer, out.byteOffset + at, 4).setUint32(0, fnv1a(json), true);
  out.set(keyDigest(normalizedKey(example)), at + DIGEST_BYTES);
  return out;
}

/** 32-bit FNV-1a over a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface Place {
  /** Index into the stage's list of files. */
  file: number;
  line: number;
  /** A word remembered with the first occurrence (clean: a fingerprint of its exact key). */
  tag?: number;
}

/** Which keys were seen, and where first: 12 bytes of digest plus 12 of place, never the examples. */
export class FirstSeen {
  private readonly seen = new DigestSet(1 << 16, 3);

  /** Where the key (its keyDigest) was seen first, or null (and it is remembered at `place`). */
  check(digest: Uint8Array, place: Place): Place | null {
    const slot = this.seen.findOrAdd(digest, place.file, place.line, place.tag ?? 0);
    return slot < 0 ? null : this.place(slot);
  }

  /** Where the key (its keyDigest) was seen first, without remembering it. */
  find(digest: Uint8Array): Place | null {
    const slot = this.seen.lookup(digest);
    return slot < 0 ? null : this.place(slot);
  }

  private place(slot: number): Place {
    return { file: this.seen.value(slot, 0), line: this.seen.value(slot, 1), tag: this.seen.value(slot, 2) };
  }
}
