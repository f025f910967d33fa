/**
 * Asking a grader model about one answer, the way openai/evals' ModelBasedClassify does: fill the
 * spec's prompt, optionally append the answer instructions, then read the choice from the reply
 * (last line first for cot_classify, first line first otherwise; punctuation stripped).
 */
import type { ChatMessage } from '../providers/types.js';
import type { ChoiceMatchFn, GradedEvalType, ModelGradedSpec } from './modelgraded-spec.js';

export const invalidChoice = '__invalid__';

const answerPrompts: Record<GradedEvalType, string> = {
  classify: 'Answer the question by printing only a single choice from {choices} (without quotes or punctuation) corresponding to the correct answer with no other text.',
  classify_cot: 'First, answer by printing a single choice from {choices} (without quotes or punctuation) corresponding to the correct answer. Then, from the next line, explain your reasonings step by step.',
  cot_classify:
    'First, write out in a step by step manner your reasoning to be sure that your conclusion is correct. Avoid simply stating the correct answer at the outset. Then print only a single choice from {choices} (without quotes or punctuation) on its own line corresponding to the correct answer. At the end, repeat just the answer by itself on a new line.\n\nReasoning:',
};

const matchFns: Record<ChoiceMatchFn, (line: string, choice: string) => boolean> = {
  include: (line, choice) => choice.includes(line),
  exact: (line, choice) => line === choice,
  endswith: (line, choice) => line.endsWith(choice),
  starts_or_endswith: (line, choice) => line.startsWith(choice) || line.endsWith(choice),
};

/** The grader's messages for one sample; `values` holds sample fields and answers by name (input, ideal, completion). */
export function graderMessages(spec: ModelGradedSpec, values: Record<string, unknown>): ChatMessage[] {
  const messages = spec.prompt.map((m) => ({ ...m }));
  if (spec.appendAnswerPrompt) {
    const choices = spec.choiceStrings.map((c) => `"${c}"`).join(' or ');
    const last = messages[messages.length - 1];
    last.content = `${last.content ?? ''}\n\n${answerPrompts[spec.evalType].replace('{choices}', choices)}`;
  }
  const text = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, asPromptText(v)]));
  return messages.map((m) => ({ ...m, content: fillKnownFields(m.content ?? '', text) }));
}

/** The choice in a grader reply, or "__invalid__". */
export function readChoice(reply: string, spec: Pick<ModelGradedSpec, 'evalType' | 'matchFn' | 'choiceStrings'>): string {
  let lines = reply.trim().split('\n');
  if (spec.evalType.startsWith('cot_classify')) lines = lines.reverse();
  const match = matchFns[spec.matchFn];
  for (const raw of lines) {
    const line = raw.trim().replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '');
    if (!line) continue;
    for (const choice of spec.choiceStrings) if (match(line, choice)) return choice;
  }
  return invalidChoice;
}

/** An invalid reply scores the lowest score (openai/evals' assumption). */
export function choiceScore(choice: string, spec: Pick<ModelGradedSpec, 'choiceScores'>): number {
  if (choice === invalidChoice) return Math.min(...Object.values(spec.choiceScores));
  return spec.choiceScores[choice];
}

/** Like Python's format_necessary: replaces {name} only for names it knows; other braces stay. */
function fillKnownFields(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole));
}

/** Chat inputs become text the way evals' chat_prompt_to_text_prompt writes them ("User: …"). */
function asPromptText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((m) => m && typeof m === 'object' && 'role' in m)) {
    const prefixes: Record<string, string> = { system: '', user: 'User: ', assistant: 'Assistant: ' };
    return value
      .map((m) => {
        const role = String(m.name ?? m.role);
        return `${prefixes[role] ?? role[0].toUpperCase() + role.slice(1) + ': '}${m.content ?? ''}`;
      })
      .join('\n');
  }
  return JSON.stringify(value);
}
