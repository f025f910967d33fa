/**
 * Runs every sample through every model (p-limit concurrency over all requests, through the cached
 * chat), judges the answers and collects per-model scores and per-sample rows. Shared by the eval and
 * sweep stages.
 */
import pLimit from 'p-limit';
import type { JsonValue, Progress } from '../stage/types.js';
import type { ChatRequest } from '../providers/types.js';
import type { CachedChat } from './cached-chat.js';
import type { EvalSample } from './eval-sample.js';
import type { ModelRef } from './model-refs.js';
import { meanScore, type JudgedAnswer, type Scorer } from './scorer.js';

export interface InferenceParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
}

export interface ModelScore {
  id: string;
  label: string;
  score: number;
  samples: number;
  metrics: Record<string, JsonValue>;
}

export interface SampleRow {
  file: string;
  line: number;
  input: JsonValue;
  ideal: string | string[];
  /** By model label. */
  answers: Record<string, { answer: string; score: number; detail?: Record<string, JsonValue> }>;
}

export interface EvaluationResult {
  scoreName: string;
  models: ModelScore[];
  rows: SampleRow[];
}

export interface EvaluateOptions {
  chat: CachedChat;
  samples: EvalSample[];
  models: ModelRef[];
  scorer: Scorer;
  params: InferenceParams;
  concurrency: number;
  signal?: AbortSignal;
  progress?: Progress;
}

export async function evaluateModels(options: EvaluateOptions): Promise<EvaluationResult> {
  const { samples, models, scorer } = options;
  // The first failure stops the rest: queued tasks end at once, requests in flight are aborted.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const limit = pLimit(Math.max(1, options.concurrency));
  const judged = new Map(models.map((m) => [m.label, new Array<JudgedAnswer>(samples.length)]));
  const done = new Map(models.map((m) => [m.label, 0]));
  const report = () =>
    options.progress?.update({
      done: [...done.values()].reduce((a, b) => a + b, 0),
      total: samples.length * models.length,
      message: models.map((m) => `${m.label} ${done.get(m.label)}/${samples.length}`).join(' · '),
    });
  report();

  const tasks = models.flatMap((model) =>
    samples.map((sample, i) =>
      limit(async () => {
        signal?.throwIfAborted();
        const request: ChatRequest = { model: model.id, messages: sample.input, ...definedParams(options.params) };
        const response = await options.chat(request, signal);
        const verdict = await scorer.judge(response.content, sample, signal);
        judged.get(model.label)![i] = { sample, answer: response.content, verdict };
        done.set(model.label, done.get(model.label)! + 1);
        report();
      }),
    ),
  );
  const settled = await Promise.allSettled(tasks.map((task) => task.catch((error) => (stop.abort(error), Promise.reject(error)))));
  // The answers received before a failure are in the cache: a rerun sends only the rest.
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw options.signal?.aborted ? (options.signal.reason ?? failed.reason) : failed.reason;

  const scores = models.map((model): ModelScore => {
    const list = judged.get(model.label)!;
    return { id: model.id, label: model.label, score: meanScore(list), samples: list.length, metrics: scorer.summarize(list) };
  });
  const rows = samples.map((sample, i): SampleRow => ({
    file: sample.file,
    line: sample.line,
    input: sample.input as unknown as JsonValue,
    ideal: sample.ideal,
    answers: Object.fromEntries(
      models.map((m) => {
        const j = judged.get(m.label)![i];
        return [m.label, { answer: j.answer, score: j.verdict.score, ...(j.verdict.detail ? { detail: j.verdict.detail } : {}) }];
      }),
    ),
  }));
  return { scoreName: scorer.scoreName, models: scores, rows };
}

function definedParams(params: InferenceParams): InferenceParams {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as InferenceParams;
}
