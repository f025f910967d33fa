/**
 * Scores models on eval samples through the provider: base and fine-tuned side by side, with the
 * openai/evals basic metrics, classification scores, a model grader or a custom compare module.
 * Every response is cached the moment it arrives, so a rerun or a resumed run never pays twice.
 * Thresholds (min_score, must_beat_base) fail with exit code 4 after the report is written.
 */
import { defineStage } from '../src/stage/types.js';
import { writeFile } from 'node:fs/promises';
import { writeJson } from '../src/data/jsonl-writer.js';
import { evaluateModels, type InferenceParams } from '../src/eval/evaluate-models.js';
import { inferenceParams, setUpEval, type MetricParams } from '../src/eval/eval-setup.js';
import { buildReport, scoresByLabel, summaryLine, summaryMarkdown } from '../src/eval/eval-report.js';
import { checkThresholds, thresholdError, type Thresholds } from '../src/eval/thresholds.js';
import { candidateModel } from '../src/eval/model-refs.js';

interface EvalParams extends MetricParams, InferenceParams, Thresholds {
  samples: string;
  models: Array<string | { id: string; label?: string }>;
  concurrency?: number;
  max_samples?: number;
}

export default defineStage<EvalParams>({
  type: 'eval',
  version: 1,
  description: 'Score models on eval samples (base vs fine-tuned), with cached responses and quality thresholds',
  inputs: ['samples', 'compare', 'spec'],
  usesProvider: true,
  paid: true,
  volatileParams: ['concurrency'],
  outputs: {
    report: { kind: 'file', ext: '.json', description: 'scores per model, the base/fine-tuned difference and per-sample rows' },
    summary: { kind: 'file', ext: '.md', description: 'the report as Markdown' },
    scores: { kind: 'value', description: 'score per model label' },
    score: { kind: 'value', description: 'score of the fine-tuned (else last) model' },
  },
  async run(ctx) {
    const setup = await setUpEval(ctx);
    const params = inferenceParams(ctx.params);
    const result = await evaluateModels({ ...setup, params, concurrency: ctx.params.concurrency ?? 4, signal: ctx.signal, progress: ctx.progress });
    const wantsGate = ctx.params.min_score !== undefined || ctx.params.must_beat_base === true;
    const outcome = wantsGate ? checkThresholds(result.models, { min_score: ctx.params.min_score, must_beat_base: ctx.params.must_beat_base }, result.scoreName) : null;
    const report = buildReport({ metric: setup.metric, result, params, thresholds: outcome, requests: { ...setup.counters } });
    await writeJson(ctx.output('report'), report);
    await writeFile(ctx.output('summary'), summaryMarkdown(report));
    const line = summaryLine(report);
    if (outcome && !outcome.passed) {
      // The report says failed as well (keepOutputs); the scores also reach the log for CI output.
      for (const m of report.models) ctx.log.info(`${m.label} (${m.id}): ${result.scoreName} ${m.score.toFixed(4)}`);
      ctx.log.info(line);
      throw thresholdError(ctx.id, outcome);
    }
    return { values: { scores: scoresByLabel(report.models), score: candidateModel(report.models).score }, summary: `${line}; ${setup.counters.sent} requests, ${setup.counters.cached} cached` };
  },
});
