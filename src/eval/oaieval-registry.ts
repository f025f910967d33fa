/**
 * Writes an openai/evals registry for one eval: evals/<name>.yaml (the eval and its class), the
 * samples under data/<name>/, the model-graded spec under modelgraded/ and one completion function
 * per model under completion_fns/: oaieval treats only gpt-3.5-turbo and gpt-4 names as chat models, so
 * fine-tuned and newer models need an explicit OpenAIChatCompletionFn; sampling params ride along in
 * its extra_options (the basic evals do not all accept them as args).
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FtpipeError } from '../errors.js';
import type { ModelRef } from './model-refs.js';
import type { InferenceParams } from './evaluate-models.js';
import type { MetricName } from './scorer.js';
import type { ModelGradedSpec } from './modelgraded-spec.js';

const evalClasses: Partial<Record<MetricName, string>> = {
  match: 'evals.elsuite.basic.match:Match',
  includes: 'evals.elsuite.basic.includes:Includes',
  fuzzy_match: 'evals.elsuite.basic.fuzzy_match:FuzzyMatch',
  json_match: 'evals.elsuite.basic.json_match:JsonMatch',
  modelgraded: 'evals.elsuite.modelgraded.classify:ModelBasedClassify',
};

export interface RegistryPlan {
  name: string;
  /** The eval id oaieval records ("<name>.dev.v0"); sample ids are "<id>.<index>". */
  evalId: string;
  /** Completion function name per model label. */
  completionFns: Record<string, string>;
}

export async function writeOaievalRegistry(options: { dir: string; name: string; metric: MetricName; samples: string; models: ModelRef[]; params: InferenceParams; spec?: { file: string; parsed: ModelGradedSpec } }): Promise<RegistryPlan> {
  const { dir, name, metric } = options;
  const evalClass = evalClasses[metric];
  if (!evalClass) throw new FtpipeError(`oaieval has no built-in eval for metric "${metric}"`, 'PARAM_INVALID', { hint: `use one of ${Object.keys(evalClasses).join(', ')}, or the eval stage (classification and custom run in ftpipe itself)` });
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw new FtpipeError(`eval name "${name}" must be letters, digits, "-" and "_"`, 'PARAM_INVALID', { hint: 'name: error-cat' });
  const evalId = `${name}.dev.v0`;
  await Promise.all(['evals', `data/${name}`, 'completion_fns', 'modelgraded'].map((d) => mkdir(join(dir, d), { recursive: true })));
  await copyFile(options.samples, join(dir, 'data', name, 'samples.jsonl'));

  const args: Record<string, unknown> = { samples_jsonl: `${name}/samples.jsonl` };
  if (metric === 'modelgraded') {
    if (!options.spec) throw new FtpipeError('metric "modelgraded" needs param spec', 'PARAM_INVALID', { hint: 'spec: evals/json_error_categorization.yaml' });
    await copyFile(options.spec.file, join(dir, 'modelgraded', `${options.spec.parsed.name}.yaml`));
    Object.assign(args, { modelgraded_spec: options.spec.parsed.name, eval_type: options.spec.parsed.evalType });
  }
  const evalDoc = {
    [name]: { id: evalId, description: `ftpipe eval ${name} (${metric})`, metrics: ['accuracy'] },
    [evalId]: { class: evalClass, args },
  };
  await writeFile(join(dir, 'evals', `${name}.yaml`), stringify(evalDoc));

  const completionFns: Record<string, string> = {};
  for (const model of options.models) {
    const fn = `ftpipe-${name}-${model.label}`.replace(/[^A-Za-z0-9_.-]/g, '-');
    const extra = Object.fromEntries(Object.entries({ temperature: options.params.temperature, top_p: options.params.top_p, max_tokens: options.params.max_tokens, seed: options.params.seed }).filter(([, v]) => v !== undefined));
    const doc = { [fn]: { class: 'evals.completion_fns.openai:OpenAIChatCompletionFn', args: { model: model.id, ...(Object.keys(extra).length ? { extra_options: extra } : {}) } } };
    await writeFile(join(dir, 'completion_fns', `${fn}.yaml`), stringify(doc));
    completionFns[model.label] = fn;
  }
  return { name, evalId, completionFns };
}
