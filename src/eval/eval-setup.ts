/**
 * Turns the eval/sweep stage params into the pieces evaluateModels needs: samples, models, the
 * scorer (with its grader), the cached chat and prices. Shared so both stages read params the same way.
 */
import { FtpipeError } from '../errors.js';
import type { StageContext } from '../stage/types.js';
import { loadAdapter } from '../providers/registry.js';
import { readEvalSamples, type EvalSample, type SampleShape } from './eval-sample.js';
import { readModelRefs, type ModelRef } from './model-refs.js';
import { ResponseCache } from './response-cache.js';
import { cachedChat, type CachedChat, type ChatCounters, type ResponseCacheMode } from './cached-chat.js';
import { createScorer } from './scorers.js';
import { metricNames, type MetricName, type Scorer } from './scorer.js';
import { readModelGradedSpec, type ChoiceMatchFn, type GradedEvalType, type ModelGradedSpec } from './modelgraded-spec.js';
import { fieldsFromSamples } from './modelgraded-scorer.js';
import { tokenPrice, type TokenPrice } from './inference-prices.js';
import { defaultBootstrap, type BootstrapOptions } from './bootstrap.js';
import type { InferenceParams } from './evaluate-models.js';
import { withDeployments } from '../remote/callable-model.js';

export interface MetricParams {
  metric?: MetricName;
  ignore_case?: boolean;
  compare?: string;
  spec?: string;
  spec_name?: string;
  eval_type?: GradedEvalType;
  match_fn?: ChoiceMatchFn;
  spec_args?: Record<string, unknown>;
  choice_scores?: Record<string, number>;
  grader?: { model: string; temperature?: number; max_tokens?: number };
  response_cache?: ResponseCacheMode;
  prices?: Record<string, TokenPrice>;
  bootstrap?: Partial<BootstrapOptions>;
}

export interface EvalSetup {
  samples: EvalSample[];
  models: ModelRef[];
  scorer: Scorer;
  chat: CachedChat;
  counters: ChatCounters;
  metric: MetricName;
  price: (model: string) => TokenPrice | null;
  /** Nothing is billed (local, trl): summaries name no cost. */
  free: boolean;
  bootstrap: BootstrapOptions;
}

/** `models` may be absent only where the stage has other models to score (sweep's trained cells). */
export async function setUpEval(ctx: StageContext<MetricParams & { samples: string; models?: unknown; max_samples?: number }>, options: { modelsOptional?: boolean } = {}): Promise<EvalSetup> {
  const p = ctx.params;
  const metric = p.metric ?? 'match';
  if (!metricNames.includes(metric)) throw new FtpipeError(`unknown metric "${metric}"`, 'PARAM_INVALID', { hint: `use one of: ${metricNames.join(', ')}` });
  if (typeof p.samples !== 'string') throw new FtpipeError('param "samples" must be the path of an eval samples file', 'PARAM_INVALID', { hint: 'samples: ${{ stages.eval-convert.outputs.data }}' });
  const models = options.modelsOptional && (p.models === undefined || (Array.isArray(p.models) && p.models.length === 0)) ? [] : readModelRefs(p.models);
  const spec = metric === 'modelgraded' ? await gradedSpec(p) : undefined;
  const shape: SampleShape | undefined = spec ? { promptFields: Object.keys(spec.inputOutputs), idealRequired: false } : undefined;
  const samples = await readEvalSamples(p.samples, { maxSamples: p.max_samples, signal: ctx.signal, shape });
  if (spec) checkSampleFields(spec, samples, p.spec_args);
  const provider = await ctx.provider();
  const counters: ChatCounters = { sent: 0, cached: 0 };
  // Fine-tuned models on Azure are called through a deployment, made on first use.
  const chat = cachedChat(withDeployments(provider, { log: (m) => ctx.log.info(m) }), await ResponseCache.open(ctx.cacheDir('responses')), counters, { mode: p.response_cache });
  const graded = spec ? { spec, chat, model: p.grader!.model, temperature: p.grader!.temperature, max_tokens: p.grader!.max_tokens, evalType: p.eval_type, matchFn: p.match_fn, specArgs: p.spec_args } : undefined;
  const scorer = await createScorer({ metric, ignoreCase: p.ignore_case, compare: p.compare, graded });
  const pricing = (await loadAdapter(provider.identity.kind))?.pricing ?? 'unknown';
  const price = (model: string) => tokenPrice(model, pricing, p.prices);
  return { samples, models, scorer, chat, counters, metric, price, free: pricing === 'free', bootstrap: { ...defaultBootstrap, ...p.bootstrap } };
}

async function gradedSpec(p: MetricParams): Promise<ModelGradedSpec> {
  if (!p.spec) throw new FtpipeError('metric "modelgraded" needs param spec: an openai/evals model-graded YAML file', 'PARAM_INVALID', { hint: 'spec: evals/json_error_categorization.yaml' });
  if (!p.grader?.model) throw new FtpipeError('metric "modelgraded" needs grader: {model: …}, the model that grades the answers', 'PARAM_INVALID', { hint: 'grader: {model: gpt-4.1}' });
  return readModelGradedSpec(p.spec, { name: p.spec_name, choiceScores: p.choice_scores });
}

/** Every field the grader prompt needs, in every sample, before a single request is sent. */
function checkSampleFields(spec: ModelGradedSpec, samples: EvalSample[], specArgs: Record<string, unknown> = {}): void {
  const needed = fieldsFromSamples(spec, specArgs);
  for (const sample of samples) {
    const missing = needed.find((f) => !Object.hasOwn(sample.raw, f));
    if (missing) {
      throw new FtpipeError(`${sample.file}:${sample.line}: the model-graded prompt of "${spec.name}" uses {${missing}}, which this sample, the answers (${Object.values(spec.inputOutputs).join(', ')}) and spec_args do not give`, 'EVAL_SAMPLES_INVALID', {
        location: { file: sample.file, line: sample.line },
        hint: `add "${missing}" to every sample, or give it in spec_args (openai/evals: modelgraded_spec_args)`,
      });
    }
  }
}

export function inferenceParams(p: InferenceParams): InferenceParams {
  // Temperature 0 unless asked: evals compare models, not samples of their randomness.
  return { temperature: p.temperature ?? 0, top_p: p.top_p, max_tokens: p.max_tokens, seed: p.seed };
}
