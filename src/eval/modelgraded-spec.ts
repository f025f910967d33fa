/**
 * openai/evals model-graded specs (registry/modelgraded/*.yaml): read and checked at the edge, with
 * errors that name the file. A file holds `name: {prompt, choice_strings, ...}`, one or more.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FtpipeError } from '../errors.js';
import type { ChatMessage } from '../providers/types.js';

export type GradedEvalType = 'cot_classify' | 'classify_cot' | 'classify';
export type ChoiceMatchFn = 'include' | 'exact' | 'endswith' | 'starts_or_endswith';

export interface ModelGradedSpec {
  name: string;
  prompt: ChatMessage[];
  choiceStrings: string[];
  choiceScores: Record<string, number>;
  /** Sample field → name of the model's answer to it in the prompt (usually input → completion). */
  inputOutputs: Record<string, string>;
  evalType: GradedEvalType;
  matchFn: ChoiceMatchFn;
  appendAnswerPrompt: boolean;
}

const evalTypes = ['cot_classify', 'classify_cot', 'classify'];
const matchFns = ['include', 'exact', 'endswith', 'starts_or_endswith'];
const punctuation = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

export async function readModelGradedSpec(file: string, options: { name?: string; evalType?: string } = {}): Promise<ModelGradedSpec> {
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
    throw fail(options.name ? `no spec named "${options.name}"` : `the file holds ${names.length} specs`, `set modelgraded.name to one of: ${names.join(', ')}`);
  }
  const raw = doc[name] as Record<string, unknown>;
  const prompt = typeof raw.prompt === 'string' ? [{ role: 'user' as const, content: raw.prompt }] : raw.prompt;
  if (!Array.isArray(prompt) || !prompt.every((m) => isObject(m) && typeof m.role === 'string' && typeof m.content === 'string')) {
    throw fail(`${name}.prompt must be a string or a list of {role, content} messages`);
  }
  // A string of choices means one choice per character ("YN"), as in Python.
  const choiceStrings = typeof raw.choice_strings === 'string' ? [...raw.choice_strings] : raw.choice_strings;
  if (!Array.isArray(choiceStrings) || choiceStrings.length === 0 || !choiceStrings.every((c) => typeof c === 'string' && c !== '')) {
    throw fail(`${name}.choice_strings must be a list of choices (or a string, one choice per character)`);
  }
  const withPunctuation = choiceStrings.find((c) => punctuation.test(c));
  if (withPunctuation) throw fail(`choice "${withPunctuation}" contains punctuation`, 'the grader answer is stripped of punctuation before matching, so choices must have none');
  const choiceScores = readChoiceScores(raw.choice_scores, choiceStrings, fail);
  const inputOutputs = raw.input_outputs;
  if (!isObject(inputOutputs) || !Object.values(inputOutputs).every((v) => typeof v === 'string')) throw fail(`${name}.input_outputs must map sample fields to answer names, e.g. {input: completion}`);
  const evalType = options.evalType ?? raw.eval_type ?? 'classify';
  if (typeof evalType !== 'string' || !evalTypes.includes(evalType)) throw fail(`eval_type must be one of ${evalTypes.join(', ')}`);
  const matchFn = raw.match_fn ?? 'starts_or_endswith';
  if (typeof matchFn !== 'string' || !matchFns.includes(matchFn)) throw fail(`match_fn must be one of ${matchFns.join(', ')}`);
  return {
    name,
    prompt: prompt as ChatMessage[],
    choiceStrings,
    choiceScores,
    inputOutputs: inputOutputs as Record<string, string>,
    evalType: evalType as GradedEvalType,
    matchFn: matchFn as ChoiceMatchFn,
    appendAnswerPrompt: raw.append_answer_prompt === true,
  };
}

function readChoiceScores(raw: unknown, choices: string[], fail: (m: string, h?: string) => Error): Record<string, number> {
  if (raw === 'from_strings') {
    const scores = Object.fromEntries(choices.map((c) => [c, Number(c)]));
    if (Object.values(scores).some((s) => !Number.isFinite(s))) throw fail('choice_scores: from_strings needs numeric choices');
    return scores;
  }
  if (!isObject(raw)) throw fail('choice_scores is needed to score models (e.g. {"Y": 1.0, "N": 0.0}, or from_strings)', 'ftpipe compares models by the mean choice score');
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
