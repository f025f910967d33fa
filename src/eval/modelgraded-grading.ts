/**
 * Asking a grader model about one sample the way openai/evals' ModelBasedClassify does
 * (evals/elsuite/modelgraded/classify.py, classify_utils.py): the spec's prompt, the answer
 * instructions appended when the eval has an eval_type, every field formatted with Python's
 * str.format from {answers, sample fields, spec_args}; chat-valued fields become text as
 * chat_prompt_to_text_prompt writes them, and the sample's input_outputs fields have their braces
 * doubled first (scrub_formatting_from_prompt), exactly as openai/evals sends them. Then the choice
 * is read from the reply (last line first for cot_classify, punctuation stripped).
 */
import type { ChatMessage } from '../providers/types.js';
import type { ChoiceMatchFn, GradedEvalType, ModelGradedSpec } from './modelgraded-spec.js';
import { formatPython, pythonStr } from './python-format.js';
import { pythonStrip, removePunctuation } from './portable-text.js';

export const invalidChoice = '__invalid__';

// classify_utils.py ANSWER_PROMPTS.
const answerPrompts: Record<GradedEvalType, string> = {
  classify: 'Answer the question by printing only a single choice from {choices} (without quotes or punctuation) corresponding to the correct answer with no other text.',
  classify_cot: 'First, answer by printing a single choice from {choices} (without quotes or punctuation) corresponding to the correct answer. Then, from the next line, explain your reasonings step by step.',
  cot_classify:
    'First, write out in a step by step manner your reasoning to be sure that your conclusion is correct. Avoid simply stating the correct answer at the outset. Then print only a single choice from {choices} (without quotes or punctuation) on its own line corresponding to the correct answer. At the end, repeat just the answer by itself on a new line.\n\nReasoning:',
  cot_classify_jp: 'まず、一歩一歩あなたの推論を書き出してください。単に正しい答えを最初に述べることを避けてください。次に、{choices}（引用符や句読点なし）から正しい答えに対応する1つの選択肢を単独の行に書きだしてください。最後に、答えだけを新しい行に繰り返してください。\n\n推論：',
};

const matchFns: Record<ChoiceMatchFn, (line: string, choice: string) => boolean> = {
  include: (line, choice) => choice.includes(line),
  exact: (line, choice) => line === choice,
  endswith: (line, choice) => line.endsWith(choice),
  starts_or_endswith: (line, choice) => line.startsWith(choice) || line.endsWith(choice),
};

export interface GradingPromptInput {
  spec: ModelGradedSpec;
  /** The sample as written. */
  sample: Record<string, unknown>;
  /** The graded model's answers by answer name (completion, completion1, …). */
  answers: Record<string, string>;
  /** modelgraded_spec_args: extra prompt fields, they win over sample fields. */
  specArgs?: Record<string, unknown>;
  /** The eval's eval_type argument: when given, the answer instructions are appended. */
  appendFor?: GradedEvalType;
}

/** The grader's messages; throws FormatError when a field has no value. */
export function graderMessages(input: GradingPromptInput): ChatMessage[] {
  const { spec } = input;
  const messages = spec.prompt.map((m) => ({ ...m }));
  if (input.appendFor) {
    // openai/evals appends to the spec's own message list on every sample; once per prompt is what it means.
    const last = messages[messages.length - 1];
    last.content = `${last.content ?? ''}\n\n${answerPrompts[input.appendFor].replace('{choices}', spec.choiceStrings.map((c) => `"${c}"`).join(' or '))}`;
  }
  const sample: Record<string, unknown> = { ...input.sample };
  for (const field of Object.keys(spec.inputOutputs)) if (Object.hasOwn(sample, field)) sample[field] = scrubbed(sample[field]);
  const values = Object.fromEntries(Object.entries({ ...input.answers, ...sample, ...input.specArgs }).map(([k, v]) => [k, isChatPrompt(v) ? chatPromptAsText(v) : v]));
  return messages.map((m) => ({ ...m, content: formatPython(m.content ?? '', values) }));
}

/** The choice in a grader reply (get_choice), or "__invalid__". */
export function readChoice(reply: string, options: { evalType: GradedEvalType; matchFn: ChoiceMatchFn; choiceStrings: string[] }): string {
  let lines = pythonStrip(reply).split('\n');
  if (options.evalType.startsWith('cot_classify')) lines = lines.reverse();
  const match = matchFns[options.matchFn];
  for (const raw of lines) {
    const line = removePunctuation(pythonStrip(raw));
    if (!line) continue;
    for (const choice of options.choiceStrings) if (match(line, choice)) return choice;
  }
  return invalidChoice;
}

/** get_choice_score(): null without choice_scores; an invalid reply scores the lowest score. */
export function choiceScore(choice: string, spec: Pick<ModelGradedSpec, 'choiceScores'>): number | null {
  if (!spec.choiceScores) return null;
  if (choice === invalidChoice) return Math.min(...Object.values(spec.choiceScores));
  return spec.choiceScores[choice];
}

/** is_chat_prompt(): a list whose items are all objects. */
export function isChatPrompt(value: unknown): value is Array<Record<string, unknown>> {
  return Array.isArray(value) && value.every((m) => typeof m === 'object' && m !== null && !Array.isArray(m));
}

/** chat_prompt_to_text_prompt(for_completion=False): one message is its content; else prefixed lines. */
export function chatPromptAsText(prompt: Array<Record<string, unknown>>): string {
  if (prompt.length === 1) return pythonStr(prompt[0].content);
  const prefixes: Record<string, string> = { system: '', example_user: 'User: ', example_assistant: 'Assistant: ' };
  let text = '';
  for (const message of prompt) {
    const role = String('name' in message ? message.name : message.role);
    const prefix = Object.hasOwn(prefixes, role) ? prefixes[role] : `${capitalize(role)}: `;
    text += `${prefix}${pythonStr(message.content)}\n`;
  }
  return text.replace(/^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u, '');
}

/** scrub_formatting_from_prompt(): braces doubled in a string, or in each message's content. */
function scrubbed(value: unknown): unknown {
  const double = (s: string) => s.replaceAll('{', '{{').replaceAll('}', '}}');
  if (typeof value === 'string') return double(value);
  if (isChatPrompt(value)) return value.map((m) => (typeof m.content === 'string' ? { ...m, content: double(m.content) } : m));
  return value;
}

/** Python's str.capitalize(). */
function capitalize(text: string): string {
  const [first = '', ...rest] = [...text];
  return first.toUpperCase() + rest.join('').toLowerCase();
}
