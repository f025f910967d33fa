/**
 * Runs openai/evals' `oaieval` on the samples: writes a registry the published `evals` package loads
 * (eval, samples, model-graded spec, completion functions and their module), runs oaieval once per
 * model (execa, no shell; for modelgraded with the grader as the last completion function), and reads
 * each record's final_report into the same report shape as the eval stage.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { writeJson } from '../src/data/jsonl-writer.js';
import { readEvalSamples } from '../src/eval/eval-sample.js';
import { readModelRefs } from '../src/eval/model-refs.js';
import { readModelGradedSpec } from '../src/eval/modelgraded-spec.js';
import { writeOaievalRegistry, type GradedRegistryOptions } from '../src/eval/oaieval-registry.js';
import { oaievalEndpoint } from '../src/eval/oaieval-endpoint.js';
import { headlineScore, readOaievalRecord } from '../src/eval/oaieval-record.js';
import { buildReport, scoreModels, scoresByLabel, summaryLine, summaryMarkdown } from '../src/eval/eval-report.js';
import { checkThresholds, thresholdError, wantsGate, type Thresholds } from '../src/eval/thresholds.js';
import type { EvaluationResult, InferenceParams, ModelScore, SampleRow } from '../src/eval/evaluate-models.js';
import { runOaieval } from '../src/eval/oaieval-process.js';
import { inferenceParams, type MetricParams } from '../src/eval/eval-setup.js';
import { defaultBootstrap } from '../src/eval/bootstrap.js';
import { lintModelGraded } from '../src/eval/modelgraded-lint.js';
import { UsageTally } from '../src/eval/usage.js';

interface OaievalParams extends InferenceParams, Thresholds, Pick<MetricParams, 'metric' | 'ignore_case' | 'spec' | 'spec_name' | 'eval_type' | 'match_fn' | 'spec_args' | 'choice_scores' | 'grader' | 'bootstrap'> {
  samples: string;
  models: Array<string | { id: string; label?: string }>;
  name?: string;
  max_samples?: number;
  oaieval_bin?: string;
}

export default defineStage<OaievalParams>({
  type: 'oaieval',
  version: 2,
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
  checkParams: lintModelGraded,
  async run(ctx) {
    const p = ctx.params;
    const metric = p.metric ?? 'match';
    const models = readModelRefs(p.models);
    const name = p.name ?? ctx.id.replace(/[^A-Za-z0-9_-]/g, '-');
    const dir = ctx.output('registry');
    const graded = metric === 'modelgraded' ? await gradedOptions(p) : undefined;
    // Same defaults as the eval stage (temperature 0), so both report the same models the same way.
    const params: InferenceParams = inferenceParams(p);
    const plan = await writeOaievalRegistry({ dir, name, metric, samples: p.samples, models, params, ignoreCase: p.ignore_case, graded });
    const shape = graded ? { promptFields: Object.keys(graded.spec.inputOutputs), idealRequired: false } : undefined;
    const samples = await readEvalSamples(p.samples, { maxSamples: p.max_samples, signal: ctx.signal, shape });
    const provider = await ctx.provider();
    const endpoint = await oaievalEndpoint(provider, { env: process.env });
    // The registry's completion-function module must be importable by oaieval.
    const env = { ...endpoint.env, PYTHONPATH: [dir, process.env.PYTHONPATH].filter(Boolean).join(delimiter) };
    await mkdir(join(dir, 'records'), { recursive: true });
    const scores: Array<Omit<ModelScore, 'usage' | 'latency'>> = [];
    const answers = new Map<string, Awaited<ReturnType<typeof readOaievalRecord>>['samples']>();
    let scoreName = 'accuracy';
    try {
      for (const [i, model] of models.entries()) {
        ctx.progress.update({ done: i, total: models.length, message: `oaieval ${model.label}` });
        const record = join(dir, 'records', `${plan.completionFns[model.label].split(',')[0]}.jsonl`);
        await runOaieval({ bin: p.oaieval_bin ?? 'oaieval', completionFn: plan.completionFns[model.label], evalName: name, registry: dir, record, maxSamples: p.max_samples, env, signal: ctx.signal, log: ctx.log });
        const parsed = await readOaievalRecord(record, plan.evalId);
        const headline = headlineScore(parsed.finalReport);
        scoreName = headline.name;
        scores.push({ id: model.id, label: model.label, score: headline.value, samples: parsed.samples.size, metrics: parsed.finalReport });
        answers.set(model.label, parsed.samples);
      }
    } finally {
      await endpoint.close();
    }
    if (scores.length === 0) throw new FtpipeError('oaieval ran no models', 'PARAM_INVALID');
    const rows: SampleRow[] = samples.map((sample, index) => ({
      file: sample.file,
      line: sample.line,
      input: sample.input as never,
      ideal: sample.ideal,
      answers: Object.fromEntries(models.map((m) => {
        const entry = answers.get(m.label)?.get(index);
        return [m.label, { answer: entry?.answer ?? '', score: entry?.score ?? 0, cached: false, ...(entry?.tokens ? { tokens: entry.tokens } : {}) }];
      })),
    }));
    const withUsage = scores.map((s): ModelScore => {
      const tally = new UsageTally();
      for (const row of rows) tally.add({ cached: false, usage: row.answers[s.label].tokens && { promptTokens: row.answers[s.label].tokens!.prompt, completionTokens: row.answers[s.label].tokens!.completion } });
      return { ...s, usage: tally.summary(null), latency: null };
    });
    const result: EvaluationResult = { scoreName, models: withUsage, rows, graders: [] };
    const bootstrap = { ...defaultBootstrap, ...p.bootstrap };
    const scored = scoreModels(result, bootstrap);
    const thresholds: Thresholds = { min_score: p.min_score, must_beat_base: p.must_beat_base };
    const outcome = wantsGate(thresholds) ? checkThresholds(scored.models, thresholds, scoreName, { interval: scored.comparison?.interval ?? null, confidence: bootstrap.confidence }) : null;
    const sampled = [...answers.values()].reduce((n, m) => n + [...m.values()].filter((e) => e.answer !== undefined).length, 0);
    const report = { ...buildReport({ metric, result, scored, params, bootstrap, thresholds: outcome, requests: { sent: sampled, cached: 0 } }), runner: 'oaieval' };
    await writeJson(ctx.output('report'), report);
    await writeFile(ctx.output('summary'), summaryMarkdown(report));
    if (outcome && !outcome.passed) {
      for (const m of scored.models) ctx.log.info(`${m.label} (${m.id}): ${scoreName} ${m.score?.toFixed(4) ?? '—'}`);
      ctx.log.info(summaryLine(report));
      throw thresholdError(ctx.id, outcome);
    }
    return { values: { scores: scoresByLabel(scored.models) }, summary: `oaieval: ${summaryLine(report)}` };
  },
});

async function gradedOptions(p: OaievalParams): Promise<GradedRegistryOptions> {
  if (!p.spec) throw new FtpipeError('metric "modelgraded" needs param spec: an openai/evals model-graded YAML file', 'PARAM_INVALID', { hint: 'spec: evals/json_error_categorization.yaml' });
  if (!p.grader?.model) throw new FtpipeError('metric "modelgraded" needs grader: {model: …}: openai/evals grades with the last completion function, which must not be the graded model', 'PARAM_INVALID', { hint: 'grader: {model: gpt-4.1}' });
  const spec = await readModelGradedSpec(p.spec, { name: p.spec_name, choiceScores: p.choice_scores });
  return { spec, grader: p.grader, evalType: p.eval_type, matchFn: p.match_fn, specArgs: p.spec_args, choiceScores: p.choice_scores };
}
