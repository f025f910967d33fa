/** The eval report (JSON, for tools and the studio) and its Markdown summary (for people and PR comments). */
import type { JsonValue } from '../stage/types.js';
import type { EvaluationResult, GraderUsage, InferenceParams, ModelScore, SampleRow } from './evaluate-models.js';
import { baseModel, candidateModel } from './model-refs.js';
import { fmt, signedFixed, type ThresholdOutcome } from './thresholds.js';
import { renderSummaryMarkdown } from './summary-markdown.js';
import { differenceInterval, meanInterval, type BootstrapOptions, type Interval } from './bootstrap.js';

export interface Comparison {
  base: string;
  candidate: string;
  base_score: number;
  candidate_score: number;
  difference: number;
  /** Paired bootstrap interval of candidate − base. */
  interval: Interval | null;
}

export interface EvalReport {
  metric: string;
  score_name: string;
  samples: number;
  params: InferenceParams;
  /** How the intervals were computed (seeded: the same samples give the same intervals). */
  bootstrap: BootstrapOptions;
  models: ModelScore[];
  comparison: Comparison | null;
  thresholds: ThresholdOutcome | null;
  requests: { sent: number; cached: number };
  /** Tokens and cost of the grader's requests (modelgraded). */
  graders: GraderUsage[];
  /** Cost of every request of the eval (models and graders), null when a price is unknown. */
  cost_usd: number | null;
  rows: SampleRow[];
}

/** Scores with their intervals, and the comparison: what thresholds and reports need. */
export function scoreModels(result: EvaluationResult, bootstrap: BootstrapOptions): { models: ModelScore[]; comparison: Comparison | null } {
  const models = result.models.map((m) => ({ ...m, interval: m.score === null ? null : meanInterval(sampleScores(result.rows, m.label), bootstrap) }));
  return { models, comparison: comparisonOf(models, result.rows, bootstrap) };
}

export function buildReport(input: { metric: string; result: EvaluationResult; scored: ReturnType<typeof scoreModels>; params: InferenceParams; bootstrap: BootstrapOptions; thresholds: ThresholdOutcome | null; requests: { sent: number; cached: number } }): EvalReport {
  const { result } = input;
  const costs = [...input.scored.models.map((m) => m.usage.cost_usd), ...result.graders.map((g) => g.usage.cost_usd)];
  return {
    metric: input.metric,
    score_name: result.scoreName,
    samples: result.rows.length,
    params: input.params,
    bootstrap: input.bootstrap,
    models: input.scored.models,
    comparison: input.scored.comparison,
    thresholds: input.thresholds,
    requests: input.requests,
    graders: result.graders,
    cost_usd: costs.some((c) => c === null) ? null : Math.round(costs.reduce((a, b) => a! + b!, 0)! * 1e6) / 1e6,
    rows: result.rows,
  };
}

function comparisonOf(models: ModelScore[], rows: SampleRow[], bootstrap: BootstrapOptions): Comparison | null {
  const base = baseModel(models);
  const candidate = candidateModel(models);
  if (!base || base === candidate || base.score === null || candidate.score === null) return null;
  return {
    base: base.label,
    candidate: candidate.label,
    base_score: base.score,
    candidate_score: candidate.score,
    difference: candidate.score - base.score,
    interval: differenceInterval(sampleScores(rows, base.label), sampleScores(rows, candidate.label), bootstrap),
  };
}

/** Per-sample scores of one model, in sample order (a sample without a score counts 0, as an invalid choice would). */
function sampleScores(rows: SampleRow[], label: string): number[] {
  return rows.map((r) => r.answers[label].score ?? 0);
}

/** "accuracy base 0.00 → fine-tuned 0.91 (+0.91)", or the scores side by side. */
export function summaryLine(report: Pick<EvalReport, 'score_name' | 'models' | 'comparison'> & { bootstrap?: BootstrapOptions }): string {
  const c = report.comparison;
  const ci = c?.interval ? `, ${Math.round((report.bootstrap?.confidence ?? 0.95) * 100)}% CI ${signedFixed(c.interval[0])}…${signedFixed(c.interval[1])}` : '';
  if (c && report.models.length === 2) return `${report.score_name} ${c.base} ${fmt(c.base_score)} → ${c.candidate} ${fmt(c.candidate_score)} (${signedFixed(c.difference)}${ci})`;
  return `${report.score_name} ${report.models.map((m) => `${m.label} ${fmt(m.score)}`).join(' · ')}`;
}

export function scoresByLabel(models: ModelScore[]): Record<string, JsonValue> {
  return Object.fromEntries(models.map((m) => [m.label, m.score]));
}

export function summaryMarkdown(report: EvalReport): string {
  return renderSummaryMarkdown(report, summaryLine(report));
}
