/**
 * openai/evals samples: `{"input": <chat messages or a prompt string>, "ideal": <answer or answers>}`,
 * read streaming, checked at the edge with file:line in every error. A prompt string is sent as one
 * system message, as openai/evals' chat completion functions send it (ChatCompletionPrompt).
 * Model-graded specs may name other prompt fields (battle: input1, input2) and need no ideal.
 */
import { FtpipeError } from '../errors.js';
import { readRecords } from '../data/records.js';
import type { ChatMessage } from '../providers/types.js';

export interface EvalSample {
  file: string;
  line: number;
  /** The first prompt: what the model is asked (the `input` field for every metric but modelgraded). */
  input: ChatMessage[];
  /** Every prompt field the model answers, by field name. */
  prompts: Record<string, ChatMessage[]>;
  /** The ideal answer(s); [] for a model-graded sample without one. */
  ideal: string | string[];
  /** The sample as written (other fields are visible to model-graded prompts and custom compare). */
  raw: Record<string, unknown>;
}

export interface SampleShape {
  /** The fields holding prompts (default: input). */
  promptFields: string[];
  idealRequired: boolean;
}

const basicShape: SampleShape = { promptFields: ['input'], idealRequired: true };

export async function readEvalSamples(file: string, options: { maxSamples?: number; signal?: AbortSignal; shape?: SampleShape } = {}): Promise<EvalSample[]> {
  const samples: EvalSample[] = [];
  const records = readRecords([file], {
    signal: options.signal,
    onProblem: (finding) => {
      if (finding.severity !== 'error') return;
      throw new FtpipeError(`${finding.file}:${finding.line}: ${finding.message}`, 'EVAL_SAMPLES_INVALID', { location: { file: finding.file, line: finding.line } });
    },
  });
  for await (const record of records) {
    if (options.maxSamples !== undefined && samples.length >= options.maxSamples) break;
    samples.push(toEvalSample(record.value, record.file, record.line, options.shape));
  }
  if (samples.length === 0) throw new FtpipeError(`${file}: no eval samples`, 'EVAL_SAMPLES_EMPTY', { location: { file }, hint: 'eval samples are JSONL lines like {"input": [...messages], "ideal": "answer"}' });
  return samples;
}

export function toEvalSample(value: unknown, file: string, line: number, shape: SampleShape = basicShape): EvalSample {
  const fail = (message: string) =>
    new FtpipeError(`${file}:${line}: ${message}`, 'EVAL_SAMPLES_INVALID', { location: { file, line }, hint: 'each line is {"input": [{"role": "user", "content": "…"}], "ideal": "answer" or ["answer", …]}' });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('an eval sample must be a JSON object');
  const raw = value as Record<string, unknown>;
  const prompts: Record<string, ChatMessage[]> = {};
  for (const field of shape.promptFields) {
    const prompt = typeof raw[field] === 'string' ? [{ role: 'system' as const, content: raw[field] as string }] : raw[field];
    if (!Array.isArray(prompt) || prompt.length === 0) throw fail(`"${field}" must be a prompt string or a non-empty list of chat messages`);
    for (const [i, m] of prompt.entries()) {
      if (typeof m !== 'object' || m === null || typeof m.role !== 'string' || (typeof m.content !== 'string' && m.content !== null)) throw fail(`${field}[${i}] must be {"role": …, "content": "…"}`);
    }
    prompts[field] = prompt as ChatMessage[];
  }
  const ideal = raw.ideal;
  const idealOk = typeof ideal === 'string' || (Array.isArray(ideal) && ideal.length > 0 && ideal.every((i) => typeof i === 'string'));
  if (!idealOk && shape.idealRequired) throw fail('"ideal" must be a string or a non-empty list of strings');
  return { file, line, input: prompts[shape.promptFields[0]], prompts, ideal: idealOk ? (ideal as string | string[]) : [], raw };
}

/** An ideal may be one answer or a list of acceptable answers. */
export function idealList(ideal: string | string[]): string[] {
  return Array.isArray(ideal) ? ideal : [ideal];
}
