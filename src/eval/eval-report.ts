/** The eval report (JSON, for tools and the studio) and its Markdown summary (for people and PR comments). */
import type { JsonValue } from '../stage/types.js';
import type { EvaluationResult, InferenceParams, ModelScore } from './evaluate-models.js';
import { baseModel, candidateModel } from './model-refs.js';
import { fmt, type ThresholdOutcome } from './thresholds.js';
import { renderSummaryMarkdown } from './summary-markdown.js';

export interface Comparison {
  base: string;
  candidate: string;
  base_score: number;
  candidate_score: number;
  difference: number;
}

export interface EvalReport {
  metric: string;
  score_name: string;
  samples: number;
  params: InferenceParams;
  models: ModelScore[];
  comparison: Comparison | null;
  thresholds: ThresholdOutcome | null;
  requests: { sent: number; cached: number };
  rows: EvaluationResult['rows'];
}

export function buildReport(input: { metric: string; result: EvaluationResult; params: InferenceParams; thresholds: ThresholdOutcome | null; requests: { sent: number; cached: number } }): EvalReport {
  const { result } = input;
  return {
    metric: input.metric,
    score_name: result.scoreName,
    samples: result.rows.length,
    params: input.params,
    models: result.models,
    comparison: comparisonOf(result.models),
    thresholds: input.thresholds,
    requests: input.requests,
    rows: result.rows,
  };
}

export function comparisonOf(models: ModelScore[]): Comparison | null {
  const base = baseModel(models);
  const candidate = candidateModel(models);
  if (!base || base === candidate) return null;
  return { base: base.label, candidate: candidate.label, base_score: base.score, candidate_score: candidate.score, difference: candidate.score - base.score };
}

/** "accuracy base 0.00 → fine-tuned 0.91 (+0.91)", or the scores side by side. */
export function summaryLine(report: Pick<EvalReport, 'score_name' | 'models' | 'comparison'>): string {
  const c = report.comparison;
  if (c && report.models.length === 2) return `${report.score_name} ${c.base} ${fmt(c.base_score)} → ${c.candidate} ${fmt(c.candidate_score)} (${signed(c.difference)})`;
  return `${report.score_name} ${report.models.map((m) => `${m.label} ${fmt(m.score)}`).join(' · ')}`;
}

export function scoresByLabel(models: ModelScore[]): Record<string, JsonValue> {
  return Object.fromEntries(models.map((m) => [m.label, m.score]));
}

export function summaryMarkdown(report: EvalReport): string {
  return renderSummaryMarkdown(report, summaryLine(report));
}

export function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}
