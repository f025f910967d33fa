/** Builds the Scorer for the eval's `metric` param. */
import { FtpipeError } from '../errors.js';
import { fuzzyMatches, includesIdeal, startsWithIdeal, tokenF1 } from './portable-text.js';
import { completionMatchesJson, parsePythonJson } from './portable-json.js';
import { idealList } from './eval-sample.js';
import { parseLabels, sameLabelSet } from './labels.js';
import { classificationScores } from './classification.js';
import { loadCompare } from './custom-compare.js';
import type { EvalSample } from './eval-sample.js';
import type { JudgedAnswer, MetricName, Scorer, Verdict } from './scorer.js';
import { modelGradedScorer, type GraderOptions } from './modelgraded-scorer.js';

export interface ScorerOptions {
  metric: MetricName;
  ignoreCase?: boolean;
  /** custom: absolute path of the compare module. */
  compare?: string;
  /** modelgraded: the spec and the grader. */
  graded?: GraderOptions;
}

const yes = (ok: boolean): Verdict => ({ score: ok ? 1 : 0 });

export async function createScorer(options: ScorerOptions): Promise<Scorer> {
  switch (options.metric) {
    case 'match':
      return simple('match', (answer, sample) => yes(startsWithIdeal(answer, idealList(sample.ideal))));
    case 'includes':
      return simple('includes', (answer, sample) => yes(includesIdeal(answer, idealList(sample.ideal), options.ignoreCase === true)));
    case 'fuzzy_match':
      return {
        ...simple('fuzzy_match', (answer, sample) => {
          const f1 = tokenF1(answer, idealList(sample.ideal));
          return { score: idealList(sample.ideal).some((i) => fuzzyMatches(answer, i)) ? 1 : 0, detail: { f1: round(f1) } };
        }),
        summarize: (judged: JudgedAnswer[]) => ({ f1: round(judged.reduce((s, j) => s + Number(j.verdict.detail?.f1 ?? 0), 0) / Math.max(1, judged.length)) }),
      };
    case 'json_match':
      return simple('json_match', (answer, sample) => yes(completionMatchesJson(answer, jsonIdeals(sample))));
    case 'classification':
      return {
        metric: 'classification',
        scoreName: 'accuracy',
        judge: async (answer, sample) => {
          const predicted = parseLabels(answer);
          // A list ideal holds alternatives (as in openai/evals); the one matched, else the first, is scored.
          const alternatives = idealList(sample.ideal).map(parseLabels);
          const matched = alternatives.find((labels) => sameLabelSet(labels, predicted));
          return { score: matched ? 1 : 0, detail: { predicted, ideal: matched ?? alternatives[0] } };
        },
        summarize: (judged) => {
          const pairs = judged.map((j) => ({ ideal: j.verdict.detail!.ideal as string[], predicted: j.verdict.detail!.predicted as string[] }));
          return classificationScores(pairs) as unknown as Record<string, never>;
        },
      };
    case 'custom': {
      if (!options.compare) throw new FtpipeError('metric "custom" needs param compare: the path of a module exporting compare(prediction, ideal, sample)', 'PARAM_INVALID', { hint: 'compare: evals/compare.js' });
      const compare = await loadCompare(options.compare);
      return simple('custom', async (answer, sample) => ({ score: await compare(answer, sample.ideal, sample.raw) }), 'mean score');
    }
    case 'modelgraded':
      if (!options.graded) throw new FtpipeError('metric "modelgraded" needs param spec (an openai/evals model-graded YAML) and grader: {model}', 'PARAM_INVALID', { hint: 'spec: evals/json_error_categorization.yaml' });
      return modelGradedScorer(options.graded);
    default:
      throw new FtpipeError(`unknown metric "${String(options.metric)}"`, 'PARAM_INVALID', { hint: 'match, includes, fuzzy_match, json_match, classification, modelgraded or custom' });
  }
}

function simple(metric: MetricName, judge: (answer: string, sample: EvalSample) => Verdict | Promise<Verdict>, scoreName = 'accuracy'): Scorer {
  return { metric, scoreName, judge: async (answer, sample) => judge(answer, sample), summarize: () => ({}) };
}

/** Ideals must be JSON as Python reads it (openai/evals raises otherwise; NaN and Infinity are JSON there); say which sample is wrong. */
function jsonIdeals(sample: EvalSample): string[] {
  const ideals = idealList(sample.ideal);
  const bad = ideals.find((ideal) => parsePythonJson(ideal) === undefined);
  if (bad !== undefined) {
    throw new FtpipeError(`${sample.file}:${sample.line}: ideal ${JSON.stringify(bad.slice(0, 60))} is not valid JSON (metric json_match)`, 'EVAL_SAMPLES_INVALID', {
      location: { file: sample.file, line: sample.line },
      hint: 'eval-convert with metric: json_match reports such rows (on_error: skip drops them)',
    });
  }
  return ideals;
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
