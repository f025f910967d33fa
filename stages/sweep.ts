/**
 * The parameter value finder: runs the eval over every cell of a matrix of inference params
 * (temperature, top_p, max_tokens, seed) and, optionally, of training hyperparameters (one fine-tuning
 * job per cell, adopted on rerun). All cells share the eval response cache; the leaderboard is
 * sorted by score.
 */
import { writeFile } from 'node:fs/promises';
import { answersReused } from '../src/eval/cached-chat.js';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { writeJson } from '../src/data/jsonl-writer.js';
import { evaluateModels, type InferenceParams } from '../src/eval/evaluate-models.js';
import { inferenceParams, setUpEval, type MetricParams } from '../src/eval/eval-setup.js';
import { expandMatrix, cellName } from '../src/eval/sweep-matrix.js';
import { sweepPaidActions, trainCells, type TrainingSweep } from '../src/eval/sweep-training.js';
import { leaderboardMarkdown, rankRows, sweepCost, type LeaderboardRow } from '../src/eval/sweep-report.js';
import { scoreModels } from '../src/eval/eval-report.js';
import type { GraderUsage } from '../src/eval/evaluate-models.js';
import type { ModelRef } from '../src/eval/model-refs.js';

interface SweepParams extends MetricParams, InferenceParams {
  samples: string;
  models?: Array<string | { id: string; label?: string }>;
  matrix?: Record<string, unknown[]>;
  /** Training data for the train matrix (input params, so their content enters the stage key). */
  training_file?: string;
  validation_file?: string;
  train?: Omit<TrainingSweep, 'training_file' | 'validation_file'>;
  concurrency?: number;
  max_samples?: number;
  poll_interval_ms?: number;
}

const sweepable = ['temperature', 'top_p', 'max_tokens', 'seed'];

export default defineStage<SweepParams>({
  type: 'sweep',
  version: 2,
  description: 'Eval over a matrix of inference params and/or training hyperparameters; leaderboard sorted by score',
  inputs: ['samples', 'compare', 'spec', 'training_file', 'validation_file'],
  usesProvider: true,
  paid: true,
  paidActions: sweepPaidActions,
  volatileParams: ['concurrency', 'poll_interval_ms'],
  outputs: {
    report: { kind: 'file', ext: '.json', description: 'leaderboard and the scores of every cell' },
    summary: { kind: 'file', ext: '.md', description: 'the leaderboard as Markdown' },
    best: { kind: 'value', description: 'the best row: model, training and inference cell, score' },
  },
  async run(ctx) {
    const p = ctx.params;
    if (!p.models?.length && !p.train) throw new FtpipeError('sweep needs models to evaluate, a train block, or both', 'PARAM_INVALID', { hint: 'matrix: {temperature: [0, 0.7]} with models: [gpt-4o-mini], or train: {training_file, model, matrix: {n_epochs: [2, 4]}}' });
    const inferenceCells = expandMatrix(p.matrix, sweepable, 'matrix');
    const setup = await setUpEval(ctx, { modelsOptional: true });
    const fixedModels: Array<ModelRef & { training: LeaderboardRow['training'] }> = setup.models.map((m) => ({ ...m, training: null }));
    const provider = await ctx.provider();
    if (p.train) {
      if (!p.training_file) throw new FtpipeError('a train matrix needs param training_file', 'PARAM_INVALID', { hint: 'training_file: ${{ stages.split.outputs.train }}' });
      const trained = await trainCells({ provider, sweep: { ...p.train, training_file: p.training_file, validation_file: p.validation_file }, key: ctx.key, state: ctx.state, log: ctx.log, signal: ctx.signal, pollMs: p.poll_interval_ms ?? 5000, forced: ctx.forced !== undefined, stage: ctx.id });
      for (const t of trained) fixedModels.push({ id: t.model, label: `ft ${t.name}`, training: t.cell });
    }
    const rows: Array<Omit<LeaderboardRow, 'rank'>> = [];
    const graders: GraderUsage[] = [];
    for (const [i, cell] of inferenceCells.entries()) {
      ctx.progress.update({ message: `cell ${i + 1}/${inferenceCells.length}: ${cellName(cell)}` });
      const params = inferenceParams({ ...pickInference(p), ...cell });
      const result = await evaluateModels({ ...setup, models: fixedModels, params, concurrency: p.concurrency ?? 4, signal: ctx.signal, progress: ctx.progress });
      const { models: scored } = scoreModels(result, setup.bootstrap);
      for (const [j, score] of scored.entries()) {
        rows.push({ model: score.id, label: score.label, training: fixedModels[j].training, inference: cell, score: score.score, interval: score.interval ?? null, usage: score.usage, latency: score.latency, metrics: score.metrics });
      }
      graders.push(...result.graders);
    }
    const leaderboard = rankRows(rows);
    const requests = { ...setup.counters };
    const cost = sweepCost(leaderboard, graders);
    await writeJson(ctx.output('report'), { metric: setup.metric, score_name: setup.scorer.scoreName, samples: setup.samples.length, requests, bootstrap: setup.bootstrap, cost_usd: cost, graders, leaderboard });
    await writeFile(ctx.output('summary'), leaderboardMarkdown({ metric: setup.metric, scoreName: setup.scorer.scoreName, samples: setup.samples.length, rows: leaderboard, requests, costUsd: cost, confidence: setup.bootstrap.confidence }));
    const best = leaderboard[0];
    return {
      values: { best: { model: best.model, label: best.label, training: best.training, inference: best.inference, score: best.score } },
      summary: `${leaderboard.length} runs; best ${best.label} ${cellName(best.inference)} ${setup.scorer.scoreName} ${best.score === null ? '—' : best.score.toFixed(2)}${cost === null || setup.free ? '' : `; $${cost.toFixed(4)}`}`,
      ...answersReused(setup.counters),
    };
  },
});

function pickInference(p: InferenceParams): InferenceParams {
  return { temperature: p.temperature, top_p: p.top_p, max_tokens: p.max_tokens, seed: p.seed };
}
