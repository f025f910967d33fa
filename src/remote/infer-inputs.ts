/**
 * What infer sends: one prompt per input. A file of inputs is read streaming, line by line: chat
 * examples (their last assistant message is dropped and kept as the expected answer, as in the
 * original infer.py workflow) or {"input": "...", "expected"?: "..."} lines.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { readRecords } from '../data/records.js';
import type { ChatMessage } from '../providers/types.js';

export interface InferInput {
  messages: ChatMessage[];
  expected: string | null;
  /** Where the input came from, for error messages and the output rows. */
  file?: string;
  line?: number;
}

export function promptFor(sysPrompt: string | undefined, userInput: string): ChatMessage[] {
  return [...(sysPrompt ? [{ role: 'system' as const, content: sysPrompt }] : []), { role: 'user', content: userInput }];
}

export async function* readInferInputs(file: string, options: { sysPrompt?: string; signal?: AbortSignal }): AsyncGenerator<InferInput> {
  const onProblem = (finding: { file: string; line: number; message: string }) => {
    throw new FtpipeError(`${finding.file}:${finding.line}: ${finding.message}`, 'INPUT_INVALID', { location: { file: finding.file, line: finding.line }, exitCode: ExitCode.usage });
  };
  for await (const record of readRecords([file], { onProblem, signal: options.signal })) {
    yield { ...toInput(record.value, options.sysPrompt, record.file, record.line), file: record.file, line: record.line };
  }
}

function toInput(value: unknown, sysPrompt: string | undefined, file: string, line: number): InferInput {
  const record = value as { messages?: unknown; input?: unknown; expected?: unknown } | null;
  if (record && Array.isArray(record.messages)) {
    const messages = record.messages.filter(isMessage);
    if (messages.length !== record.messages.length || messages.length === 0) throw badInput(file, line, 'messages must be a non-empty list of {role, content}');
    const last = messages[messages.length - 1];
    const expected = last.role === 'assistant' ? messages.pop()!.content : null;
    if (sysPrompt && !messages.some((m) => m.role === 'system')) messages.unshift({ role: 'system', content: sysPrompt });
    return { messages, expected: typeof expected === 'string' ? expected : null };
  }
  if (record && typeof record.input === 'string') {
    return { messages: promptFor(sysPrompt, record.input), expected: typeof record.expected === 'string' ? record.expected : null };
  }
  throw badInput(file, line, 'expected a chat example {"messages": [...]} or {"input": "..."}');
}

function isMessage(value: unknown): value is ChatMessage {
  const m = value as ChatMessage | null;
  return !!m && typeof m === 'object' && typeof m.role === 'string' && (typeof m.content === 'string' || m.content === null);
}

function badInput(file: string, line: number, why: string): FtpipeError {
  return new FtpipeError(`${file}:${line}: ${why}`, 'INPUT_INVALID', { location: { file, line }, exitCode: ExitCode.usage });
}
