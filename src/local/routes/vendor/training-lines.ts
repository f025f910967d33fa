/**
 * The check both hosted vendors run on an uploaded dataset before it can train: every line a JSON
 * object in one format — chat (`messages`, with an assistant turn) or OpenAI preference
 * (`input.messages`, `preferred_output`, `non_preferred_output`) — reported with the first bad line.
 * DPO data is handed to the core trainer as chat examples ending in the preferred answer.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readLines } from '../../../data/line-reader.js';

export type DatasetFormat = 'chat' | 'preference';

export interface DatasetCheck {
  format: DatasetFormat | null;
  lines: number;
  /** The first problem, with its 1-based line number. */
  error?: { line: number; message: string };
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

export async function checkTrainingLines(path: string): Promise<DatasetCheck> {
  let format: DatasetFormat | null = null;
  let lines = 0;
  for await (const { line, text } of readLines(path)) {
    if (text === null) return { format, lines, error: { line, message: 'the line is not valid UTF-8' } };
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { format, lines, error: { line, message: 'the line is not valid JSON' } };
    }
    const here = formatOf(value);
    if (typeof here === 'object') return { format, lines, error: { line, message: here.problem } };
    if (format && here !== format) return { format, lines, error: { line, message: `found ${here} data after ${format} data; use one format per file` } };
    format = here;
    lines++;
  }
  if (lines === 0) return { format, lines, error: { line: 1, message: 'the file has no examples' } };
  return { format, lines };
}

function formatOf(value: unknown): DatasetFormat | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'expected a JSON object' };
  const record = value as Record<string, unknown>;
  if ('preferred_output' in record || 'non_preferred_output' in record) {
    const input = record.input as { messages?: unknown } | undefined;
    const problem = messagesProblem(input?.messages, false) ?? outputProblem(record.preferred_output, 'preferred_output') ?? outputProblem(record.non_preferred_output, 'non_preferred_output');
    return problem ? { problem } : 'preference';
  }
  const problem = messagesProblem(record.messages, true);
  return problem ? { problem } : 'chat';
}

function messagesProblem(messages: unknown, needsAssistant: boolean): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return '"messages" must be a non-empty list';
  for (const [i, m] of messages.entries()) {
    const message = m as { role?: unknown; content?: unknown } | null;
    if (typeof message !== 'object' || message === null) return `message ${i + 1} must be an object`;
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) return `message ${i + 1} has role ${JSON.stringify(message.role)} (expected one of ${[...ROLES].join(', ')})`;
    if (typeof message.content !== 'string') return `message ${i + 1} needs a string "content"`;
  }
  if (needsAssistant && !messages.some((m) => (m as { role: string }).role === 'assistant')) return 'at least one message must have the assistant role';
  return undefined;
}

function outputProblem(output: unknown, name: string): string | undefined {
  if (!Array.isArray(output) || output.length !== 1) return `"${name}" must be a list of exactly one message`;
  const message = output[0] as { role?: unknown; content?: unknown } | null;
  if (message?.role !== 'assistant' || typeof message.content !== 'string') return `"${name}" must hold one assistant message with string content`;
  return undefined;
}

/** Preference lines → chat lines ending in the preferred answer (what the core's trainer learns from). */
export async function preferenceAsChat(source: string, target: string): Promise<void> {
  const out = createWriteStream(target);
  for await (const { text } of readLines(source)) {
    if (!text?.trim()) continue;
    const value = JSON.parse(text) as { input: { messages: unknown[] }; preferred_output: unknown[] };
    if (!out.write(`${JSON.stringify({ messages: [...value.input.messages, value.preferred_output[0]] })}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
