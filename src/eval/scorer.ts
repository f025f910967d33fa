/**
 * One Scorer per metric: judges an answer against its sample (a score in [0, 1]) and summarises a
 * model's verdicts. The headline score of every metric is the mean sample score, i.e. accuracy for
 * the yes/no metrics.
 */
import type { JsonValue } from '../stage/types.js';
import type { EvalSample } from './eval-sample.js';

export type MetricName = 'match' | 'includes' | 'fuzzy_match' | 'json_match' | 'classification' | 'modelgraded' | 'custom';
export const metricNames: MetricName[] = ['match', 'includes', 'fuzzy_match', 'json_match', 'classification', 'modelgraded', 'custom'];

export interface Verdict {
  score: number;
  /** Metric-specific facts shown per sample (parsed labels, the grader's choice, f1). */
  detail?: Record<string, JsonValue>;
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
  judge(answer: string, sample: EvalSample, signal?: AbortSignal): Promise<Verdict>;
  /** Extra numbers for the report (per-label scores, mean f1, choice counts). */
  summarize(judged: JudgedAnswer[]): Record<string, JsonValue>;
}

export function meanScore(judged: JudgedAnswer[]): number {
  return judged.length === 0 ? 0 : judged.reduce((sum, j) => sum + j.verdict.score, 0) / judged.length;
}
