/**
 * Scores models on eval samples through the provider: base and fine-tuned side by side, with the
 * openai/evals basic metrics, classification scores, a model grader or a custom compare module.
 * Every response is cached the moment it arrives, so a rerun or a resumed run never pays twice.
 * Reports carry seeded bootstrap intervals, tokens, cost and latency; `junit: true` adds JUnit XML.
 * Thresholds (min_score, must_beat_base) fail with exit code 4 after the report is written.
 */
import { defineStage } from '../src/stage/types.js';
import { writeFile } from 'node:fs/promises';
import { writeJson } from '../src/data/jsonl-writer.js';
import { evaluateModels, type InferenceParams } from '../src/eval/evaluate-models.js';
import { inferenceParams, setUpEval, type MetricParams } from '../src/eval/eval-setup.js';
import { buildReport, scoreModels, scoresByLabel, summaryLine, summaryMarkdown } from '../src/eval/eval-report.js';
import { checkThresholds, thresholdError, wantsGate, type Thresholds } from '../src/eval/thresholds.js';
import { candidateModel } from '../src/eval/model-refs.js';
import { modelCallActions } from '../src/remote/model-call-actions.js';
import { junitXml } from '../src/eval/junit-report.js';
import { lintModelGraded } from '../src/eval/modelgraded-lint.js';
import { answersReused } from '../src/eval/cached-chat.js';

interface EvalParams extends MetricParams, InferenceParams, Thresholds {
  samples: string;
  models: Array<string | { id: string; label?: string }>;
  concurrency?: number;
  max_samples?: number;
  junit?: boolean;
}

export default defineStage<EvalParams>({
  type: 'eval',
  version: 2,
  description: 'Score models on eval samples (base vs fine-tuned), with cached responses, intervals, cost and quality thresholds',
  inputs: ['samples', 'compare', 'spec'],
  usesProvider: true,
  paid: true,
  paidActions: modelCallActions,
  volatileParams: ['concurrency'],
  outputs: {
    report: { kind: 'file', ext: '.json', description: 'scores per model with intervals, tokens, cost and latency, the base/fine-tuned difference and per-sample rows' },
    summary: { kind: 'file', ext: '.md', description: 'the report as Markdown' },
    junit: { kind: 'file', ext: '.xml', optional: true, description: 'JUnit XML, one test case per sample and model (with junit: true)' },
    scores: { kind: 'value', description: 'score per model label' },
    score: { kind: 'value', description: 'score of the fine-tuned (else last) model' },
  },
  checkParams: lintModelGraded,
  async run(ctx) {
    const setup = await setUpEval(ctx);
    const params = inferenceParams(ctx.params);
    const result = await evaluateModels({ ...setup, params, concurrency: ctx.params.concurrency ?? 4, signal: ctx.signal, progress: ctx.progress });
    const scored = scoreModels(result, setup.bootstrap);
    const thresholds: Thresholds = { min_score: ctx.params.min_score, must_beat_base: ctx.params.must_beat_base };
    const outcome = wantsGate(thresholds) ? checkThresholds(scored.models, thresholds, result.scoreName, { interval: scored.comparison?.interval ?? null, confidence: setup.bootstrap.confidence }) : null;
    const report = buildReport({ metric: setup.metric, result, scored, params, bootstrap: setup.bootstrap, thresholds: outcome, requests: { ...setup.counters } });
    await writeJson(ctx.output('report'), report);
    await writeFile(ctx.output('summary'), summaryMarkdown(report));
    if (ctx.params.junit) await writeFile(ctx.output('junit'), junitXml(report, ctx.id));
    const line = summaryLine(report);
    if (outcome && !outcome.passed) {
      // The report says failed as well (keepOutputs); the scores also reach the log for CI output.
      for (const m of report.models) ctx.log.info(`${m.label} (${m.id}): ${result.scoreName} ${m.score === null ? '—' : m.score.toFixed(4)}`);
      ctx.log.info(line);
      throw thresholdError(ctx.id, outcome);
    }
    const cost = report.cost_usd === null || setup.free ? '' : `, $${report.cost_usd.toFixed(4)}`;
    return { values: { scores: scoresByLabel(report.models), score: candidateModel(report.models).score }, summary: `${line}; ${setup.counters.sent} requests, ${setup.counters.cached} cached${cost}`, ...answersReused(setup.counters) };
  },
});
