/**
 * Quality gates: `min_score` for the candidate (fine-tuned, else last) model and `must_beat_base`.
 * A failed gate is exit code 4, so CI can tell "the model got worse" from "the pipeline broke".
 */
import { ExitCode, FtpipeError } from '../errors.js';
import { baseModel, candidateModel } from './model-refs.js';
import type { ModelScore } from './evaluate-models.js';

export interface Thresholds {
  min_score?: number;
  must_beat_base?: boolean;
}

export interface ThresholdOutcome {
  min_score?: number;
  must_beat_base?: boolean;
  passed: boolean;
  failures: string[];
}

export function checkThresholds(models: ModelScore[], thresholds: Thresholds, scoreName: string): ThresholdOutcome {
  const candidate = candidateModel(models);
  const base = baseModel(models);
  const failures: string[] = [];
  if (thresholds.min_score !== undefined && candidate.score < thresholds.min_score) {
    failures.push(`${scoreName} of ${candidate.label} is ${fmt(candidate.score)}, below min_score ${fmt(thresholds.min_score)}`);
  }
  if (thresholds.must_beat_base) {
    if (!base || base === candidate) {
      throw new FtpipeError('must_beat_base needs a model labelled "base" besides the candidate', 'PARAM_INVALID', { hint: 'models: [{id: gpt-4o-mini, label: base}, {id: "${{ stages.wait.outputs.fine_tuned_model }}", label: fine-tuned}]' });
    }
    if (!(candidate.score > base.score)) failures.push(`${candidate.label} (${fmt(candidate.score)}) does not beat ${base.label} (${fmt(base.score)})`);
  }
  return { ...thresholds, passed: failures.length === 0, failures };
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

export function fmt(n: number): string {
  return n.toFixed(2);
}
