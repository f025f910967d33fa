/**
 * Lint-time checks of a model-graded eval (`ftpipe lint`, and every run before anything is sent): the
 * spec reads as openai/evals reads it, its prompt has no lone braces, its reply can be read (an
 * eval_type), and every {field} it uses is given by the answers, spec_args or — when the samples are a
 * workspace file — every sample. Samples made by another stage are checked before the first request.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FtpipeError } from '../errors.js';
import type { ParamProblem } from '../stage/types.js';
import { readModelGradedSpec } from './modelgraded-spec.js';
import { fieldsFromSamples } from './modelgraded-scorer.js';
import { readEvalSamples } from './eval-sample.js';

export async function lintModelGraded(params: Record<string, unknown>, context: { workspace: string }): Promise<ParamProblem[]> {
  if (params.metric !== 'modelgraded' || !isWorkspaceFile(params.spec, context.workspace)) return [];
  const specArgs = isObject(params.spec_args) ? params.spec_args : {};
  try {
    const spec = await readModelGradedSpec(resolve(context.workspace, params.spec as string), { name: stringOrUndefined(params.spec_name), choiceScores: isObject(params.choice_scores) ? (params.choice_scores as Record<string, number>) : undefined });
    if (!spec.evalType && params.eval_type === undefined) return [{ param: ['spec'], message: `spec "${spec.name}" has no eval_type, so the grader's reply cannot be read`, hint: 'set eval_type: cot_classify (or classify, classify_cot), as openai/evals evals do' }];
    const needed = fieldsFromSamples(spec, specArgs);
    if (needed.length === 0 || !isWorkspaceFile(params.samples, context.workspace)) return [];
    const samples = await readEvalSamples(resolve(context.workspace, params.samples as string), { shape: { promptFields: Object.keys(spec.inputOutputs), idealRequired: false } });
    for (const sample of samples) {
      const missing = needed.find((f) => !Object.hasOwn(sample.raw, f));
      if (missing) return [{ param: ['spec'], message: `the prompt of spec "${spec.name}" uses {${missing}}, which ${params.samples}:${sample.line} does not have (nor the answers ${Object.values(spec.inputOutputs).join(', ')}, nor spec_args)`, hint: `add "${missing}" to the samples or to spec_args, or write a literal brace as {{ }}` }];
    }
    return [];
  } catch (error) {
    if (error instanceof FtpipeError) return [{ param: [error.code === 'EVAL_SAMPLES_INVALID' ? 'samples' : 'spec'], message: error.message, hint: error.hint }];
    throw error;
  }
}

function isWorkspaceFile(value: unknown, root: string): value is string {
  return typeof value === 'string' && !value.includes('${{') && existsSync(resolve(root, value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
