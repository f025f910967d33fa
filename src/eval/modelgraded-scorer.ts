/** metric: modelgraded — a grader model reads each answer with the spec's prompt and picks a choice. */
import type { CachedChat } from './cached-chat.js';
import type { ModelGradedSpec } from './modelgraded-spec.js';
import { choiceScore, graderMessages, readChoice } from './modelgraded-grading.js';
import type { Scorer } from './scorer.js';

export interface GraderOptions {
  spec: ModelGradedSpec;
  chat: CachedChat;
  model: string;
  temperature?: number;
  max_tokens?: number;
}

export function modelGradedScorer(options: GraderOptions): Scorer {
  const { spec } = options;
  return {
    metric: 'modelgraded',
    scoreName: 'mean choice score',
    async judge(answer, sample, signal) {
      // Sample fields, then each answer under the name input_outputs gives it (input → completion).
      const values: Record<string, unknown> = { ...sample.raw, input: sample.input, ideal: Array.isArray(sample.ideal) ? sample.ideal.join('\n') : sample.ideal };
      for (const output of Object.values(spec.inputOutputs)) values[output] = answer;
      const reply = await options.chat(
        { model: options.model, messages: graderMessages(spec, values), temperature: options.temperature ?? 0, max_tokens: options.max_tokens ?? 1024 },
        signal,
      );
      const choice = readChoice(reply.content, spec);
      return { score: choiceScore(choice, spec), detail: { choice, grader_reply: reply.content } };
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
