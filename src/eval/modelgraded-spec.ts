/**
 * openai/evals model-graded specs (registry/modelgraded/*.yaml, the ModelGradedSpec dataclass of
 * evals/elsuite/modelgraded/base.py): read and checked at the edge, with errors that name the file. A
 * file holds `name: {prompt, choice_strings, input_outputs, ...}`, one or more; openai/evals' own specs
 * (fact, closedqa, battle, …) load unmodified. How the grader is asked (eval_type, match_fn) are
 * arguments of the eval in openai/evals, so they are stage params here, not spec fields.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FtpipeError } from '../errors.js';
import type { ChatMessage } from '../providers/types.js';
import { fieldNames, FormatError } from './python-format.js';

export type GradedEvalType = 'cot_classify' | 'classify_cot' | 'classify' | 'cot_classify_jp';
export type ChoiceMatchFn = 'include' | 'exact' | 'endswith' | 'starts_or_endswith';
export const gradedEvalTypes: GradedEvalType[] = ['cot_classify', 'classify_cot', 'classify', 'cot_classify_jp'];
export const choiceMatchFns: ChoiceMatchFn[] = ['include', 'exact', 'endswith', 'starts_or_endswith'];

export interface ModelGradedSpec {
  name: string;
  file: string;
  /** A string prompt is one user message, as classify() makes it. */
  prompt: ChatMessage[];
  choiceStrings: string[];
  /** null when the spec has none: each choice is counted, no score is computed (as in openai/evals). */
  choiceScores: Record<string, number> | null;
  /** Sample field → name of the model's answer to it in the prompt (usually input → completion). */
  inputOutputs: Record<string, string>;
  /** The spec's own eval_type (how the reply is read); the stage's eval_type param is the fallback. */
  evalType?: GradedEvalType;
  /** The fields the prompt uses. */
  fields: string[];
}

const specFields = ['prompt', 'choice_strings', 'input_outputs', 'eval_type', 'choice_scores', 'output_template', 'key', 'group'];

export async function readModelGradedSpec(file: string, options: { name?: string; choiceScores?: Record<string, number> } = {}): Promise<ModelGradedSpec> {
  const fail = (message: string, hint?: string) => new FtpipeError(`${file}: ${message}`, 'EVAL_SPEC_INVALID', { location: { file }, hint });
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw fail(`cannot read the model-graded spec (${(error as Error).message})`);
  }
  if (!isObject(doc)) throw fail('a model-graded spec file maps a name to a spec (name: {prompt, choice_strings, input_outputs})');
  const names = Object.keys(doc);
  const name = options.name ?? (names.length === 1 ? names[0] : undefined);
  if (!name || !isObject(doc[name])) {
    throw fail(options.name ? `no spec named "${options.name}"` : `the file holds ${names.length} specs`, `set spec_name to one of: ${names.join(', ')}`);
  }
  const raw = doc[name] as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !specFields.includes(k));
  if (unknown.length > 0) {
    const moved = unknown.find((k) => k === 'match_fn' || k === 'append_answer_prompt');
    throw fail(`${name}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (openai/evals would ignore ${unknown.length > 1 ? 'them' : 'it'})`, moved ? 'match_fn and eval_type are arguments of the eval in openai/evals: set the stage params match_fn / eval_type (eval_type also appends the answer instructions)' : `a spec has: ${specFields.join(', ')}`);
  }
  const prompt = typeof raw.prompt === 'string' ? [{ role: 'user' as const, content: raw.prompt }] : raw.prompt;
  if (!Array.isArray(prompt) || !prompt.every((m) => isObject(m) && typeof m.role === 'string' && typeof m.content === 'string')) {
    throw fail(`${name}.prompt must be a string or a list of {role, content} messages`);
  }
  const choiceStrings = readChoiceStrings(raw.choice_strings, name, fail);
  const inputOutputs = raw.input_outputs;
  if (!isObject(inputOutputs) || Object.keys(inputOutputs).length === 0 || !Object.values(inputOutputs).every((v) => typeof v === 'string')) {
    throw fail(`${name}.input_outputs must map sample fields to answer names, e.g. {input: completion}`);
  }
  const evalType = raw.eval_type;
  if (evalType !== undefined && evalType !== null && !gradedEvalTypes.includes(evalType as GradedEvalType)) throw fail(`${name}.eval_type must be one of ${gradedEvalTypes.join(', ')}`);
  let fields: string[];
  try {
    fields = [...new Set((prompt as ChatMessage[]).flatMap((m) => fieldNames(m.content ?? '')))];
  } catch (error) {
    if (error instanceof FormatError) throw fail(`${name}.prompt: ${error.message}`, 'write a literal brace as {{ or }}, as in Python format strings');
    throw error;
  }
  return {
    name,
    file,
    prompt: prompt as ChatMessage[],
    choiceStrings,
    choiceScores: options.choiceScores ? readChoiceScores(options.choiceScores, choiceStrings, (m) => fail(`param choice_scores: ${m}`)) : raw.choice_scores === undefined || raw.choice_scores === null ? null : readChoiceScores(raw.choice_scores, choiceStrings, (m) => fail(`${name}.${m}`)),
    inputOutputs: inputOutputs as Record<string, string>,
    evalType: (evalType ?? undefined) as GradedEvalType | undefined,
    fields,
  };
}

/** get_choice_strings(): a list, a string of one-character choices ("YN"), or from_n… with n = 1 (one completion per sample). */
function readChoiceStrings(raw: unknown, name: string, fail: (m: string, h?: string) => Error): string[] {
  const fromN: Record<string, string[]> = { from_n: ['1'], from_n_abc: ['a'], from_n_ABC: ['A'] };
  const choices = typeof raw === 'string' ? (fromN[raw] ?? [...raw]) : raw;
  if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string' && c !== '')) {
    throw fail(`${name}.choice_strings must be a list of choices (or a string, one choice per character)`);
  }
  const punctuated = choices.find((c) => /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/.test(c));
  if (punctuated) throw fail(`choice "${punctuated}" contains punctuation`, 'the grader reply is stripped of punctuation before matching, so choices must have none');
  return choices;
}

function readChoiceScores(raw: unknown, choices: string[], fail: (m: string) => Error): Record<string, number> {
  if (raw === 'from_strings') {
    const scores = Object.fromEntries(choices.map((c) => [c, Number(c)]));
    if (Object.values(scores).some((s) => !Number.isFinite(s))) throw fail('choice_scores: from_strings needs numeric choices');
    return scores;
  }
  if (!isObject(raw)) throw fail('choice_scores must map each choice to a number, or be from_strings');
  const scores: Record<string, number> = {};
  for (const choice of choices) {
    const score = raw[choice];
    if (typeof score !== 'number') throw fail(`choice_scores has no number for choice "${choice}"`);
    scores[choice] = score;
  }
  return scores;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
