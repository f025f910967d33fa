/**
 * Turns the eval/sweep stage params into the pieces evaluateModels needs: samples, models, the
 * scorer (with its grader) and the cached chat. Shared so both stages read params the same way.
 */
import { FtpipeError } from '../errors.js';
import type { StageContext } from '../stage/types.js';
import { readEvalSamples, type EvalSample } from './eval-sample.js';
import { readModelRefs, type ModelRef } from './model-refs.js';
import { ResponseCache } from './response-cache.js';
import { cachedChat, type CachedChat, type ChatCounters } from './cached-chat.js';
import { createScorer } from './scorers.js';
import { metricNames, type MetricName, type Scorer } from './scorer.js';
import { readModelGradedSpec } from './modelgraded-spec.js';
import type { InferenceParams } from './evaluate-models.js';
import { withDeployments } from '../remote/callable-model.js';

export interface MetricParams {
  metric?: MetricName;
  ignore_case?: boolean;
  compare?: string;
  spec?: string;
  spec_name?: string;
  eval_type?: 'cot_classify' | 'classify_cot' | 'classify';
  grader?: { model: string; temperature?: number; max_tokens?: number };
}

export interface EvalSetup {
  samples: EvalSample[];
  models: ModelRef[];
  scorer: Scorer;
  chat: CachedChat;
  counters: ChatCounters;
  metric: MetricName;
}

/** `models` may be absent only where the stage has other models to score (sweep's trained cells). */
export async function setUpEval(ctx: StageContext<MetricParams & { samples: string; models?: unknown; max_samples?: number }>, options: { modelsOptional?: boolean } = {}): Promise<EvalSetup> {
  const p = ctx.params;
  const metric = p.metric ?? 'match';
  if (!metricNames.includes(metric)) throw new FtpipeError(`unknown metric "${metric}"`, 'PARAM_INVALID', { hint: `use one of: ${metricNames.join(', ')}` });
  if (typeof p.samples !== 'string') throw new FtpipeError('param "samples" must be the path of an eval samples file', 'PARAM_INVALID', { hint: 'samples: ${{ stages.eval-convert.outputs.data }}' });
  const models = options.modelsOptional && (p.models === undefined || (Array.isArray(p.models) && p.models.length === 0)) ? [] : readModelRefs(p.models);
  const samples = await readEvalSamples(p.samples, { maxSamples: p.max_samples, signal: ctx.signal });
  const provider = await ctx.provider();
  const counters: ChatCounters = { sent: 0, cached: 0 };
  // Fine-tuned models on Azure are called through a deployment, made on first use.
  const chat = cachedChat(withDeployments(provider, { log: (m) => ctx.log.info(m) }), new ResponseCache(ctx.cacheDir('responses')), counters);
  let graded;
  if (metric === 'modelgraded') {
    if (!p.spec) throw new FtpipeError('metric "modelgraded" needs param spec: an openai/evals model-graded YAML file', 'PARAM_INVALID', { hint: 'spec: evals/json_error_categorization.yaml' });
    if (!p.grader?.model) throw new FtpipeError('metric "modelgraded" needs grader: {model: …}, the model that grades the answers', 'PARAM_INVALID', { hint: 'grader: {model: gpt-4.1}' });
    const spec = await readModelGradedSpec(p.spec, { name: p.spec_name, evalType: p.eval_type });
    graded = { spec, chat, model: p.grader.model, temperature: p.grader.temperature, max_tokens: p.grader.max_tokens };
  }
  const scorer = await createScorer({ metric, ignoreCase: p.ignore_case, compare: p.compare, graded });
  return { samples, models, scorer, chat, counters, metric };
}

export function inferenceParams(p: InferenceParams): InferenceParams {
  // Temperature 0 unless asked: evals compare models, not samples of their randomness.
  return { temperature: p.temperature ?? 0, top_p: p.top_p, max_tokens: p.max_tokens, seed: p.seed };
}
