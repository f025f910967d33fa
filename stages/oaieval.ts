/**
 * Runs openai/evals' `oaieval` on the samples: writes a registry (eval, samples, model-graded spec,
 * completion functions), runs oaieval once per model (execa, no shell), and reads each record's
 * final_report into the same report shape as the eval stage.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { writeJson } from '../src/data/jsonl-writer.js';
import { readEvalSamples } from '../src/eval/eval-sample.js';
import { readModelRefs } from '../src/eval/model-refs.js';
import { readModelGradedSpec } from '../src/eval/modelgraded-spec.js';
import { writeOaievalRegistry } from '../src/eval/oaieval-registry.js';
import { oaievalEndpoint } from '../src/eval/oaieval-endpoint.js';
import { headlineScore, readOaievalRecord } from '../src/eval/oaieval-record.js';
import { buildReport, scoresByLabel, summaryLine, summaryMarkdown } from '../src/eval/eval-report.js';
import { checkThresholds, thresholdError, type Thresholds } from '../src/eval/thresholds.js';
import type { EvaluationResult, InferenceParams, ModelScore, SampleRow } from '../src/eval/evaluate-models.js';
import type { MetricName } from '../src/eval/scorer.js';
import { runOaieval } from '../src/eval/oaieval-process.js';
import { inferenceParams } from '../src/eval/eval-setup.js';

interface OaievalParams extends InferenceParams, Thresholds {
  samples: string;
  models: Array<string | { id: string; label?: string }>;
  metric?: MetricName;
  name?: string;
  spec?: string;
  spec_name?: string;
  eval_type?: 'cot_classify' | 'classify_cot' | 'classify';
  max_samples?: number;
  oaieval_bin?: string;
}

export default defineStage<OaievalParams>({
  type: 'oaieval',
  version: 1,
  description: "Run openai/evals' oaieval on the samples (a generated registry) and report like the eval stage",
  inputs: ['samples', 'spec'],
  usesProvider: true,
  paid: true,
  volatileParams: ['oaieval_bin'],
  outputs: {
    registry: { kind: 'dir', description: 'the openai/evals registry, with the oaieval records under records/' },
    report: { kind: 'file', ext: '.json', description: 'scores per model (from final_report) and per-sample rows' },
    summary: { kind: 'file', ext: '.md', description: 'the report as Markdown' },
    scores: { kind: 'value', description: 'score per model label' },
  },
  async run(ctx) {
    const p = ctx.params;
    const metric = p.metric ?? 'match';
    const models = readModelRefs(p.models);
    const name = p.name ?? ctx.id.replace(/[^A-Za-z0-9_-]/g, '-');
    const dir = ctx.output('registry');
    const spec = metric === 'modelgraded' && p.spec ? { file: p.spec, parsed: await readModelGradedSpec(p.spec, { name: p.spec_name, evalType: p.eval_type }) } : undefined;
    // Same defaults as the eval stage (temperature 0), so both report the same models the same way.
    const params: InferenceParams = inferenceParams(p);
    const plan = await writeOaievalRegistry({ dir, name, metric, samples: p.samples, models, params, spec });
    const samples = await readEvalSamples(p.samples, { maxSamples: p.max_samples, signal: ctx.signal });
    const provider = await ctx.provider();
    const endpoint = await oaievalEndpoint(provider, { env: process.env });
    await mkdir(join(dir, 'records'), { recursive: true });
    const scores: ModelScore[] = [];
    const answers = new Map<string, Awaited<ReturnType<typeof readOaievalRecord>>['samples']>();
    let scoreName = 'accuracy';
    try {
      for (const [i, model] of models.entries()) {
        ctx.progress.update({ done: i, total: models.length, message: `oaieval ${model.label}` });
        const record = join(dir, 'records', `${plan.completionFns[model.label]}.jsonl`);
        await runOaieval({ bin: p.oaieval_bin ?? 'oaieval', completionFn: plan.completionFns[model.label], evalName: name, registry: dir, record, maxSamples: p.max_samples, env: endpoint.env, signal: ctx.signal, log: ctx.log });
        const parsed = await readOaievalRecord(record, plan.evalId);
        const headline = headlineScore(parsed.finalReport);
        scoreName = headline.name;
        scores.push({ id: model.id, label: model.label, score: headline.value, samples: parsed.samples.size, metrics: parsed.finalReport });
        answers.set(model.label, parsed.samples);
      }
    } finally {
      await endpoint.close();
    }
    const rows: SampleRow[] = samples.map((sample, index) => ({
      file: sample.file,
      line: sample.line,
      input: sample.input as never,
      ideal: sample.ideal,
      answers: Object.fromEntries(models.map((m) => {
        const entry = answers.get(m.label)?.get(index);
        return [m.label, { answer: entry?.answer ?? '', score: entry?.score ?? 0 }];
      })),
    }));
    const result: EvaluationResult = { scoreName, models: scores, rows };
    const wantsGate = p.min_score !== undefined || p.must_beat_base === true;
    const outcome = wantsGate ? checkThresholds(scores, { min_score: p.min_score, must_beat_base: p.must_beat_base }, scoreName) : null;
    const sampled = [...answers.values()].reduce((n, m) => n + [...m.values()].filter((e) => e.answer !== undefined).length, 0);
    const report = { ...buildReport({ metric, result, params, thresholds: outcome, requests: { sent: sampled, cached: 0 } }), runner: 'oaieval' };
    await writeJson(ctx.output('report'), report);
    await writeFile(ctx.output('summary'), summaryMarkdown(report));
    if (outcome && !outcome.passed) {
      for (const m of scores) ctx.log.info(`${m.label} (${m.id}): ${scoreName} ${m.score.toFixed(4)}`);
      ctx.log.info(summaryLine(report));
      throw thresholdError(ctx.id, outcome);
    }
    if (scores.length === 0) throw new FtpipeError('oaieval ran no models', 'PARAM_INVALID');
    return { values: { scores: scoresByLabel(scores) }, summary: `oaieval: ${summaryLine(report)}` };
  },
});
