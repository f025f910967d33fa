/**
 * Runs every sample through every model (p-limit concurrency over all requests, through the cached
 * chat), judges the answers and collects per-model scores, tokens, cost, latency and per-sample rows.
 * Shared by the eval and sweep stages.
 */
import pLimit from 'p-limit';
import type { JsonValue, Progress } from '../stage/types.js';
import type { ChatMessage, ChatRequest } from '../providers/types.js';
import type { ChatAnswer, CachedChat } from './cached-chat.js';
import type { EvalSample } from './eval-sample.js';
import type { ModelRef } from './model-refs.js';
import { meanScore, type JudgedAnswer, type Scorer } from './scorer.js';
import { UsageTally, type LatencySummary, type UsageSummary } from './usage.js';
import type { TokenPrice } from './inference-prices.js';

export interface InferenceParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
}

export interface ModelScore {
  id: string;
  label: string;
  /** Mean sample score; null when the metric scores nothing (a model-graded spec without choice_scores). */
  score: number | null;
  samples: number;
  metrics: Record<string, JsonValue>;
  usage: UsageSummary;
  latency: LatencySummary | null;
  /** The seeded bootstrap interval of the score (filled in by the report). */
  interval?: [number, number] | null;
}

export interface SampleAnswer {
  answer: string;
  score: number | null;
  cached: boolean;
  latency_ms?: number;
  tokens?: { prompt: number; completion: number };
  detail?: Record<string, JsonValue>;
}

export interface SampleRow {
  file: string;
  line: number;
  input: JsonValue;
  ideal: string | string[];
  /** By model label. */
  answers: Record<string, SampleAnswer>;
}

export interface GraderUsage {
  model: string;
  usage: UsageSummary;
  latency: LatencySummary | null;
}

export interface EvaluationResult {
  scoreName: string;
  models: ModelScore[];
  rows: SampleRow[];
  graders: GraderUsage[];
}

export interface EvaluateOptions {
  chat: CachedChat;
  samples: EvalSample[];
  models: ModelRef[];
  scorer: Scorer;
  params: InferenceParams;
  concurrency: number;
  price: (model: string) => TokenPrice | null;
  signal?: AbortSignal;
  progress?: Progress;
}

interface Judged extends JudgedAnswer {
  calls: ChatAnswer[];
}

export async function evaluateModels(options: EvaluateOptions): Promise<EvaluationResult> {
  const { samples, models, scorer } = options;
  // The first failure stops the rest: queued tasks end at once, requests in flight are aborted.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const limit = pLimit(Math.max(1, options.concurrency));
  const judged = new Map(models.map((m) => [m.label, new Array<Judged>(samples.length)]));
  const graders = new Map<string, UsageTally>();
  const done = new Map(models.map((m) => [m.label, 0]));
  const report = () =>
    options.progress?.update({
      done: [...done.values()].reduce((a, b) => a + b, 0),
      total: samples.length * models.length,
      message: models.map((m) => `${m.label} ${done.get(m.label)}/${samples.length}`).join(' · '),
    });
  report();

  const ask = async (model: ModelRef, messages: ChatMessage[]) => {
    signal.throwIfAborted();
    const request: ChatRequest = { model: model.id, messages, ...definedParams(options.params) };
    return options.chat(request, signal);
  };
  const tasks = models.flatMap((model) =>
    samples.map((sample, i) =>
      limit(async () => {
        const prompts = scorer.prompts?.(sample) ?? { answer: sample.input };
        const calls: ChatAnswer[] = [];
        const answers: Record<string, string> = {};
        for (const [name, messages] of Object.entries(prompts)) {
          const response = await ask(model, messages);
          calls.push(response);
          answers[name] = response.content;
        }
        const first = Object.values(answers)[0] ?? '';
        const verdict = await scorer.judge(first, sample, signal, answers);
        for (const call of verdict.calls ?? []) tally(graders, call.model).add(call.answer);
        judged.get(model.label)![i] = { sample, answer: first, verdict, calls };
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
    const usage = new UsageTally();
    for (const j of list) for (const call of j.calls) usage.add(call);
    return { id: model.id, label: model.label, score: meanScore(list), samples: list.length, metrics: scorer.summarize(list), usage: usage.summary(options.price(model.id)), latency: usage.latency() };
  });
  const rows = samples.map((sample, i): SampleRow => ({
    file: sample.file,
    line: sample.line,
    input: sample.input as unknown as JsonValue,
    ideal: sample.ideal,
    answers: Object.fromEntries(models.map((m) => [m.label, sampleAnswer(judged.get(m.label)![i])])),
  }));
  const graderUsage = [...graders].map(([model, t]) => ({ model, usage: t.summary(options.price(model)), latency: t.latency() }));
  return { scoreName: scorer.scoreName, models: scores, rows, graders: graderUsage };
}

function sampleAnswer(j: Judged): SampleAnswer {
  const latencies = j.calls.map((c) => c.latencyMs).filter((ms): ms is number => ms !== undefined);
  const usages = j.calls.map((c) => c.usage).filter((u) => u !== undefined);
  return {
    answer: j.answer,
    score: j.verdict.score,
    cached: j.calls.length > 0 && j.calls.every((c) => c.cached),
    ...(latencies.length ? { latency_ms: latencies.reduce((a, b) => a + b, 0) } : {}),
    ...(usages.length ? { tokens: { prompt: usages.reduce((n, u) => n + u!.promptTokens, 0), completion: usages.reduce((n, u) => n + u!.completionTokens, 0) } } : {}),
    ...(j.verdict.detail ? { detail: j.verdict.detail } : {}),
  };
}

function tally(map: Map<string, UsageTally>, model: string): UsageTally {
  let t = map.get(model);
  if (!t) map.set(model, (t = new UsageTally()));
  return t;
}

function definedParams(params: InferenceParams): InferenceParams {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as InferenceParams;
}
