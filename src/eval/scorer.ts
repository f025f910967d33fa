/**
 * One Scorer per metric: judges an answer against its sample (a score in [0, 1]) and summarises a
 * model's verdicts. The headline score of every metric is the mean sample score, i.e. accuracy for
 * the yes/no metrics.
 */
import type { JsonValue } from '../stage/types.js';
import type { ChatMessage } from '../providers/types.js';
import type { EvalSample } from './eval-sample.js';
import type { ChatAnswer } from './cached-chat.js';

export type MetricName = 'match' | 'includes' | 'fuzzy_match' | 'json_match' | 'classification' | 'modelgraded' | 'custom';
export const metricNames: MetricName[] = ['match', 'includes', 'fuzzy_match', 'json_match', 'classification', 'modelgraded', 'custom'];

export interface Verdict {
  /** In [0, 1] for the built-in metrics; null when the metric gives no score (a spec without choice_scores). */
  score: number | null;
  /** Metric-specific facts shown per sample (parsed labels, the grader's choice, f1). */
  detail?: Record<string, JsonValue>;
  /** Model calls the scorer made itself (the grader's), for tokens and cost. */
  calls?: Array<{ model: string; answer: ChatAnswer }>;
}

export interface JudgedAnswer {
  sample: EvalSample;
  answer: string;
  verdict: Verdict;
}

export interface Scorer {
  metric: MetricName;
  /** What the headline score is called ("accuracy", "mean choice score"). */
  scoreName: string;
  /** The prompts the evaluated model answers for one sample, by answer name; default: the sample's input. */
  prompts?(sample: EvalSample): Record<string, ChatMessage[]>;
  /** `answer` is the first answer; `answers` all of them by name (model-graded specs with several). */
  judge(answer: string, sample: EvalSample, signal?: AbortSignal, answers?: Record<string, string>): Promise<Verdict>;
  /** Extra numbers for the report (per-label scores, mean f1, choice counts). */
  summarize(judged: JudgedAnswer[]): Record<string, JsonValue>;
}

/** The mean over the samples that have a score; null when none has. */
export function meanScore(judged: JudgedAnswer[]): number | null {
  const scores = judged.map((j) => j.verdict.score).filter((s): s is number => s !== null);
  return scores.length === 0 ? null : scores.reduce((sum, s) => sum + s, 0) / scores.length;
}
