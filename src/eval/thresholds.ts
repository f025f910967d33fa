/**
 * Quality gates: `min_score` for the candidate (fine-tuned, else last) model and `must_beat_base`
 * (`true`: a higher score; `interval`: the bootstrap interval of fine-tuned − base lies above 0, so
 * the gain is not noise). A failed gate is exit code 4, so CI can tell "the model got worse" from
 * "the pipeline broke".
 */
import { ExitCode, FtpipeError } from '../errors.js';
import { baseModel, candidateModel } from './model-refs.js';
import type { ModelScore } from './evaluate-models.js';
import type { Interval } from './bootstrap.js';

export interface Thresholds {
  min_score?: number;
  must_beat_base?: boolean | 'interval';
}

export interface ThresholdOutcome {
  min_score?: number;
  must_beat_base?: boolean | 'interval';
  passed: boolean;
  /** The thresholds that failed, by param name. */
  failed: Array<'min_score' | 'must_beat_base'>;
  failures: string[];
}

export function wantsGate(thresholds: Thresholds): boolean {
  return thresholds.min_score !== undefined || (thresholds.must_beat_base !== undefined && thresholds.must_beat_base !== false);
}

export function checkThresholds(models: ModelScore[], thresholds: Thresholds, scoreName: string, difference?: { interval: Interval | null; confidence: number }): ThresholdOutcome {
  const candidate = candidateModel(models);
  const base = baseModel(models);
  const failed: ThresholdOutcome['failed'] = [];
  const failures: string[] = [];
  const scored = (m: ModelScore): number => {
    if (m.score === null) throw new FtpipeError(`thresholds need a score, and ${m.label} has none (the model-graded spec has no choice_scores)`, 'PARAM_INVALID', { hint: 'give the spec choice_scores, or the stage param choice_scores: {"A": 1, "B": 0}' });
    return m.score;
  };
  if (thresholds.min_score !== undefined && scored(candidate) < thresholds.min_score) {
    failed.push('min_score');
    failures.push(`${scoreName} of ${candidate.label} is ${fmt(scored(candidate))}, below min_score ${fmt(thresholds.min_score)}`);
  }
  if (thresholds.must_beat_base) {
    if (!base || base === candidate) {
      throw new FtpipeError('must_beat_base needs a model labelled "base" besides the candidate', 'PARAM_INVALID', { hint: 'models: [{id: gpt-4o-mini, label: base}, {id: "${{ stages.wait.outputs.fine_tuned_model }}", label: fine-tuned}]' });
    }
    if (!(scored(candidate) > scored(base))) {
      failed.push('must_beat_base');
      failures.push(`${candidate.label} (${fmt(scored(candidate))}) does not beat ${base.label} (${fmt(scored(base))})`);
    } else if (thresholds.must_beat_base === 'interval') {
      const interval = difference?.interval;
      if (!interval || !(interval[0] > 0)) {
        failed.push('must_beat_base');
        const shown = interval ? `[${signedFixed(interval[0])}, ${signedFixed(interval[1])}]` : 'not computable (fewer than 2 samples)';
        failures.push(`the ${Math.round((difference?.confidence ?? 0.95) * 100)}% interval of ${candidate.label} − ${base.label} is ${shown}, which does not exclude 0 (must_beat_base: interval)`);
      }
    }
  }
  return { ...thresholds, passed: failures.length === 0, failed, failures };
}

export function thresholdError(stage: string, outcome: ThresholdOutcome): FtpipeError {
  return new FtpipeError(`eval threshold failed: ${outcome.failures.join('; ')}`, 'EVAL_THRESHOLD', {
    exitCode: ExitCode.thresholdFailed,
    stage,
    // The report says failed too: the engine shows it in the stage's outputs without recording a result.
    keepOutputs: true,
    hint: "the stage's report and summary say which threshold failed; rerunning costs nothing (answers are cached): improve the data or training, or change the threshold",
  });
}

export function fmt(n: number | null): string {
  return n === null ? '—' : n.toFixed(2);
}

export function signedFixed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}
