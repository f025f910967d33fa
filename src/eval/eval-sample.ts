/**
 * openai/evals samples: `{"input": <chat messages or a prompt string>, "ideal": <answer or answers>}`,
 * read streaming, checked at the edge with file:line in every error.
 */
import { FtpipeError } from '../errors.js';
import { readRecords } from '../data/records.js';
import type { ChatMessage } from '../providers/types.js';

export interface EvalSample {
  file: string;
  line: number;
  input: ChatMessage[];
  ideal: string | string[];
  /** The sample as written (other fields are visible to model-graded prompts and custom compare). */
  raw: Record<string, unknown>;
}

export async function readEvalSamples(file: string, options: { maxSamples?: number; signal?: AbortSignal } = {}): Promise<EvalSample[]> {
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
    samples.push(toEvalSample(record.value, record.file, record.line));
  }
  if (samples.length === 0) throw new FtpipeError(`${file}: no eval samples`, 'EVAL_SAMPLES_EMPTY', { location: { file }, hint: 'eval samples are JSONL lines like {"input": [...messages], "ideal": "answer"}' });
  return samples;
}

export function toEvalSample(value: unknown, file: string, line: number): EvalSample {
  const fail = (message: string) =>
    new FtpipeError(`${file}:${line}: ${message}`, 'EVAL_SAMPLES_INVALID', { location: { file, line }, hint: 'each line is {"input": [{"role": "user", "content": "…"}], "ideal": "answer" or ["answer", …]}' });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('an eval sample must be a JSON object');
  const raw = value as Record<string, unknown>;
  const input = typeof raw.input === 'string' ? [{ role: 'user' as const, content: raw.input }] : raw.input;
  if (!Array.isArray(input) || input.length === 0) throw fail('"input" must be a prompt string or a non-empty list of chat messages');
  for (const [i, m] of input.entries()) {
    if (typeof m !== 'object' || m === null || typeof m.role !== 'string' || (typeof m.content !== 'string' && m.content !== null)) throw fail(`input[${i}] must be {"role": …, "content": "…"}`);
  }
  const ideal = raw.ideal;
  const idealOk = typeof ideal === 'string' || (Array.isArray(ideal) && ideal.length > 0 && ideal.every((i) => typeof i === 'string'));
  if (!idealOk) throw fail('"ideal" must be a string or a non-empty list of strings');
  return { file, line, input: input as ChatMessage[], ideal: ideal as string | string[], raw };
}

/** An ideal may be one answer or a list of acceptable answers. */
export function idealList(ideal: string | string[]): string[] {
  return Array.isArray(ideal) ? ideal : [ideal];
}
