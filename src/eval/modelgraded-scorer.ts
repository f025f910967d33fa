/**
 * metric: modelgraded — the evaluated model answers each of the spec's input_outputs fields (unless the
 * sample already holds that answer, as in openai/evals), then a grader model reads the answers with the
 * spec's prompt and picks a choice.
 */
import { FtpipeError } from '../errors.js';
import type { ChatMessage } from '../providers/types.js';
import type { CachedChat } from './cached-chat.js';
import type { EvalSample } from './eval-sample.js';
import type { ChoiceMatchFn, GradedEvalType, ModelGradedSpec } from './modelgraded-spec.js';
import { choiceScore, graderMessages, readChoice } from './modelgraded-grading.js';
import { FormatError } from './python-format.js';
import type { Scorer } from './scorer.js';

export interface GraderOptions {
  spec: ModelGradedSpec;
  chat: CachedChat;
  model: string;
  temperature?: number;
  max_tokens?: number;
  /** The eval's eval_type: appends the answer instructions, and reads the reply when the spec has none. */
  evalType?: GradedEvalType;
  matchFn?: ChoiceMatchFn;
  specArgs?: Record<string, unknown>;
}

export function modelGradedScorer(options: GraderOptions): Scorer {
  const { spec } = options;
  // get_choice() reads with the spec's eval_type first (mg.eval_type or eval_type).
  const readAs = spec.evalType ?? options.evalType;
  if (!readAs) throw new FtpipeError(`${spec.file}: spec "${spec.name}" has no eval_type, so the grader's reply cannot be read`, 'PARAM_INVALID', { hint: 'set the stage param eval_type: cot_classify (or classify, classify_cot), as openai/evals evals do' });
  return {
    metric: 'modelgraded',
    scoreName: spec.choiceScores ? 'mean choice score' : 'choice counts',
    prompts(sample: EvalSample) {
      const prompts: Record<string, ChatMessage[]> = {};
      for (const [field, output] of Object.entries(spec.inputOutputs)) if (!Object.hasOwn(sample.raw, output)) prompts[output] = sample.prompts[field];
      return prompts;
    },
    async judge(_answer, sample, signal, answers = {}) {
      let messages: ChatMessage[];
      try {
        messages = graderMessages({ spec, sample: sample.raw, answers, specArgs: options.specArgs, appendFor: options.evalType });
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        throw new FtpipeError(`${sample.file}:${sample.line}: the model-graded prompt of "${spec.name}" has ${error.message.replace('no value for ', '')} but the sample, its answers and spec_args give no such field`, 'EVAL_SAMPLES_INVALID', {
          location: { file: sample.file, line: sample.line },
          hint: 'add the field to every sample, or give it in spec_args (openai/evals: modelgraded_spec_args)',
        });
      }
      const reply = await options.chat({ model: options.model, messages, temperature: options.temperature ?? 0, max_tokens: options.max_tokens ?? 1024 }, signal);
      const choice = readChoice(reply.content, { evalType: readAs, matchFn: options.matchFn ?? 'starts_or_endswith', choiceStrings: spec.choiceStrings });
      return { score: choiceScore(choice, spec), detail: { choice, grader_reply: reply.content }, calls: [{ model: options.model, answer: reply }] };
    },
    summarize(judged) {
      const counts: Record<string, number> = {};
      for (const j of judged) {
        const choice = String(j.verdict.detail?.choice);
        counts[choice] = (counts[choice] ?? 0) + 1;
      }
      return { spec: spec.name, choice_counts: counts };
    },
  };
}

/** The sample fields a spec's prompt needs that neither answers nor spec_args give (checked before any request). */
export function fieldsFromSamples(spec: ModelGradedSpec, specArgs: Record<string, unknown> = {}): string[] {
  const answered = new Set(Object.values(spec.inputOutputs));
  return spec.fields.filter((f) => !answered.has(f) && !Object.hasOwn(specArgs, f));
}
