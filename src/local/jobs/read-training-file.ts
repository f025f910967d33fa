/**
 * A job's data check, streamed line by line like OpenAI's: the first bad example fails the job with
 * `invalid_training_file` (or `invalid_validation_file`), too few examples with `invalid_n_examples`.
 * Valid examples become compact (prompt, answer) pairs plus their billed token count.
 */
import { DEFAULT_MAX_LINE_BYTES, readLines } from '../../data/line-reader.js';
import { countExampleTokens } from '../../data/tokens.js';
import { modelFacts, encodingFor } from '../../models/catalog.js';
import { contentText, promptText, type PromptMessage } from '../trainer/features.js';
import type { TrainingExample } from '../trainer/training-run.js';

export const MIN_TRAINING_EXAMPLES = 10;
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export interface ReadExamples {
  examples: TrainingExample[];
  /** Cookbook tokens of every example, each capped at the model's training-example limit (one epoch). */
  tokens: number;
}

export async function readTrainingFile(path: string, options: { model: string; param: 'training_file' | 'validation_file'; signal?: AbortSignal }): Promise<ReadExamples> {
  const encoding = encodingFor(options.model);
  const limit = modelFacts(options.model)?.trainingExampleLimit ?? 65_536;
  const code = options.param === 'training_file' ? 'invalid_training_file' : 'invalid_validation_file';
  const examples: TrainingExample[] = [];
  let tokens = 0;
  for await (const line of readLines(path, options.signal, { maxLineBytes: DEFAULT_MAX_LINE_BYTES })) {
    if (line.tooLong) throw new JobFailure(code, `Invalid file format. Line ${line.line} is longer than ${DEFAULT_MAX_LINE_BYTES / (1024 * 1024)} MiB.`, options.param);
    if (line.text === null) throw new JobFailure(code, `Invalid file format. Line ${line.line} is not valid UTF-8.`, options.param);
    if (line.text.trim() === '') continue;
    const n = examples.length + 1;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch {
      throw new JobFailure(code, `Invalid file format. Example ${n} (line ${line.line}) is not valid JSON.`, options.param);
    }
    const problem = exampleProblem(value);
    if (problem) throw new JobFailure(code, `Invalid file format. Example ${n}${problem}`, options.param);
    const messages = (value as { messages: PromptMessage[] }).messages;
    const last = messages.map((m) => m.role).lastIndexOf('assistant');
    examples.push({ prompt: promptText(messages.slice(0, last)), answer: contentText(messages[last].content).trim() });
    tokens += Math.min(limit, countExampleTokens(value, encoding).total);
  }
  if (options.param === 'training_file' && examples.length < MIN_TRAINING_EXAMPLES) {
    throw new JobFailure('invalid_n_examples', `Training file has ${examples.length} example(s), but must have at least ${MIN_TRAINING_EXAMPLES} examples`, 'training_file');
  }
  if (examples.length === 0) throw new JobFailure(code, 'Invalid file format. The validation file has no examples.', options.param);
  return { examples, tokens };
}

/** ", message 2: …" or ": …" describing the first problem, or null for a usable chat example. */
function exampleProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ': expected a JSON object with a "messages" list.';
  const messages = (value as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return ': missing "messages" list.';
  if (messages.length === 0) return ': "messages" is empty.';
  let assistants = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Record<string, unknown> | null;
    const where = `, message ${i + 1}`;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return `${where}: expected an object.`;
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) return `${where}: invalid role ${JSON.stringify(m.role)} (expected one of ${[...ROLES].join(', ')}).`;
    const hasCalls = m.tool_calls !== undefined || m.function_call !== undefined;
    if (m.content === undefined || m.content === null) {
      if (!(m.role === 'assistant' && hasCalls)) return `${where}: missing content.`;
    } else if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
      return `${where}: content must be a string.`;
    }
    if (m.weight !== undefined && m.weight !== 0 && m.weight !== 1) return `${where}: weight must be 0 or 1.`;
    if (m.role === 'assistant') assistants++;
  }
  if (assistants === 0) return ': has no assistant messages.';
  return null;
}
