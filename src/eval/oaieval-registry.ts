/**
 * Writes an openai/evals registry for one eval that the published `evals` package loads as is:
 * evals/<name>.yaml (the eval, its class and args), the samples under data/<name>/, the model-graded
 * spec under modelgraded/, one completion function per model (and one for the grader) under
 * completion_fns/, and ftpipe_completion_fns.py beside them (put on PYTHONPATH when oaieval runs).
 *
 * Why the module: openai/evals builds a registry completion function as cls(**args, registry=registry)
 * (evals/registry.py make_completion_fn), and its own OpenAIChatCompletionFn takes no `registry`
 * argument, so it cannot be named in a registry; naming a model id directly works only for
 * gpt-3.5-turbo* / gpt-4-* ids. The module's ChatCompletionFn accepts `registry` and calls the chat
 * completions API for any model, fine-tuned ones included. Sampling params ride in extra_options.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FtpipeError } from '../errors.js';
import type { ModelRef } from './model-refs.js';
import type { InferenceParams } from './evaluate-models.js';
import type { MetricName } from './scorer.js';
import type { ChoiceMatchFn, GradedEvalType, ModelGradedSpec } from './modelgraded-spec.js';

const evalClasses: Partial<Record<MetricName, string>> = {
  match: 'evals.elsuite.basic.match:Match',
  includes: 'evals.elsuite.basic.includes:Includes',
  fuzzy_match: 'evals.elsuite.basic.fuzzy_match:FuzzyMatch',
  json_match: 'evals.elsuite.basic.json_match:JsonMatch',
  modelgraded: 'evals.elsuite.modelgraded.classify:ModelBasedClassify',
};

export const completionFnModule = 'ftpipe_completion_fns';

const completionFnSource = `"""Written by ftpipe: an OpenAI chat completion function for any model id, loadable from a registry.

openai/evals builds registry completion functions as cls(**args, registry=registry); its own
OpenAIChatCompletionFn takes no registry argument, and oaieval treats only gpt-3.5-turbo* / gpt-4-* ids
as chat models. This class accepts the registry and calls the chat completions API for any model.
"""
from typing import Any, Optional

from evals.completion_fns.openai import OpenAIChatCompletionFn


class ChatCompletionFn(OpenAIChatCompletionFn):
    def __init__(self, model: str, extra_options: Optional[dict] = None, registry: Any = None):
        super().__init__(model=model, extra_options=dict(extra_options or {}))
`;

export interface RegistryPlan {
  name: string;
  /** The eval id oaieval records ("<name>.dev.v0"); sample ids are "<id>.<index>". */
  evalId: string;
  /** The oaieval completion_fn argument per model label ("<model fn>" or "<model fn>,<grader fn>"). */
  completionFns: Record<string, string>;
}

export interface GradedRegistryOptions {
  spec: ModelGradedSpec;
  grader: { model: string; temperature?: number; max_tokens?: number };
  evalType?: GradedEvalType;
  matchFn?: ChoiceMatchFn;
  specArgs?: Record<string, unknown>;
  choiceScores?: Record<string, number>;
}

export async function writeOaievalRegistry(options: { dir: string; name: string; metric: MetricName; samples: string; models: ModelRef[]; params: InferenceParams; ignoreCase?: boolean; graded?: GradedRegistryOptions }): Promise<RegistryPlan> {
  const { dir, name, metric, graded } = options;
  const evalClass = evalClasses[metric];
  if (!evalClass) throw new FtpipeError(`oaieval has no built-in eval for metric "${metric}"`, 'PARAM_INVALID', { hint: `use one of ${Object.keys(evalClasses).join(', ')}, or the eval stage (classification and custom run in ftpipe itself)` });
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw new FtpipeError(`eval name "${name}" must be letters, digits, "-" and "_"`, 'PARAM_INVALID', { hint: 'name: error-cat' });
  if (metric === 'modelgraded' && !graded) throw new FtpipeError('metric "modelgraded" needs params spec and grader: {model}', 'PARAM_INVALID', { hint: 'spec: evals/json_error_categorization.yaml' });
  const evalId = `${name}.dev.v0`;
  await Promise.all(['evals', `data/${name}`, 'completion_fns', 'modelgraded'].map((d) => mkdir(join(dir, d), { recursive: true })));
  await copyFile(options.samples, join(dir, 'data', name, 'samples.jsonl'));
  await writeFile(join(dir, `${completionFnModule}.py`), completionFnSource);

  const args: Record<string, unknown> = { samples_jsonl: `${name}/samples.jsonl` };
  if (metric === 'includes' && options.ignoreCase) args.ignore_case = true;
  if (graded) {
    await writeSpec(dir, graded);
    Object.assign(args, {
      modelgraded_spec: graded.spec.name,
      ...(graded.evalType ? { eval_type: graded.evalType } : {}),
      ...(graded.matchFn ? { match_fn: graded.matchFn } : {}),
      ...(graded.specArgs ? { modelgraded_spec_args: graded.specArgs } : {}),
      eval_kwargs: { max_tokens: graded.grader.max_tokens ?? 1024, temperature: graded.grader.temperature ?? 0 },
      ...(options.params.max_tokens !== undefined ? { sample_kwargs: { max_tokens: options.params.max_tokens } } : {}),
    });
  }
  const evalDoc = {
    [name]: { id: evalId, description: `ftpipe eval ${name} (${metric})`, metrics: ['accuracy'] },
    [evalId]: { class: evalClass, args },
  };
  await writeFile(join(dir, 'evals', `${name}.yaml`), stringify(evalDoc));

  const extra = Object.fromEntries(Object.entries({ temperature: options.params.temperature, top_p: options.params.top_p, max_tokens: options.params.max_tokens, seed: options.params.seed }).filter(([, v]) => v !== undefined));
  const graderFn = graded ? await writeCompletionFn(dir, `ftpipe-${name}-grader`, graded.grader.model, {}) : undefined;
  const completionFns: Record<string, string> = {};
  for (const model of options.models) {
    const fn = await writeCompletionFn(dir, `ftpipe-${name}-${model.label}`, model.id, extra);
    // ModelBasedClassify grades with the last completion function: the grader, never the graded model.
    completionFns[model.label] = graderFn ? `${fn},${graderFn}` : fn;
  }
  return { name, evalId, completionFns };
}

async function writeCompletionFn(dir: string, wanted: string, model: string, extra: Record<string, unknown>): Promise<string> {
  const fn = wanted.replace(/[^A-Za-z0-9_.-]/g, '-');
  const doc = { [fn]: { class: `${completionFnModule}:ChatCompletionFn`, args: { model, ...(Object.keys(extra).length ? { extra_options: extra } : {}) } } };
  await writeFile(join(dir, 'completion_fns', `${fn}.yaml`), stringify(doc));
  return fn;
}

/** The spec as written (one name), with a choice_scores override merged in. */
async function writeSpec(dir: string, graded: GradedRegistryOptions): Promise<void> {
  const doc = parse(await readFile(graded.spec.file, 'utf8')) as Record<string, Record<string, unknown>>;
  const spec = { ...doc[graded.spec.name], ...(graded.choiceScores ? { choice_scores: graded.choiceScores } : {}) };
  await writeFile(join(dir, 'modelgraded', `${graded.spec.name}.yaml`), stringify({ [graded.spec.name]: spec }));
}
