/**
 * One line per paid action of a stage, for `plan`, `run`'s preflight and the spend guard: each training
 * job (a sweep has one per cell) priced from the file it uploads, each fine-tuned model a stage would
 * deploy before calling it (hosting is billed by the hour), and per-request inference (listed, unpriced).
 */
import { join } from 'node:path';
import type { ProviderAdapter } from '../providers/adapter.js';
import type { JobSpec, Provider } from '../providers/types.js';
import type { RecipeStage } from '../recipe/types.js';
import type { PaidAction } from '../stage/types.js';
import { isFineTunedModel } from '../remote/callable-model.js';
import { priceTraining, roundUsd } from '../remote/spend.js';
import { trainingFileStats } from '../remote/training-file-stats.js';
import { fileBehind, paidActionsOf, valueOf, type Resolver } from './paid-actions.js';

export interface SpendLine {
  stage: string;
  action: 'training' | 'deployment' | 'requests';
  model: string;
  /** A sweep cell. */
  label?: string;
  examples?: number;
  billedTokens?: number;
  /** 0 on free providers; null when no price is known; absent while the data is not there yet. */
  costUsd?: number | null;
  text: string;
  /** Per-request inference: listed, not priced, not guarded by --max-cost. */
  inference?: boolean;
  /** The provider's pricing is "free": nothing to show. */
  free?: boolean;
  /** The provider said it would not accept the job. */
  refused?: string;
  /** The training file has fewer examples than the provider's known minimum. */
  belowMinimum?: { examples: number; minimum: number };
}

export interface SpendContext extends Resolver {
  adapter: ProviderAdapter | undefined;
  /** The provider, where one can be had (for capabilities and provider pricing); undefined if not. */
  provider?: () => Promise<Provider | undefined>;
  signal?: AbortSignal;
}

/** Whether a stage spends at all (so stages that cannot are never resolved). */
export function spends(stage: RecipeStage): boolean {
  return stage.def.paid === true || stage.def.paidActions !== undefined;
}

export async function spendLines(ctx: SpendContext, stage: RecipeStage, options: { trainingOnly?: boolean } = {}): Promise<SpendLine[]> {
  const actions = paidActionsOf(stage);
  const lines: SpendLine[] = [];
  for (const action of actions) if (action.kind === 'training') lines.push(await trainingLine(ctx, stage, action));
  if (options.trainingOnly) return lines;
  const called = actions.filter((a): a is Extract<PaidAction, { kind: 'model-calls' }> => a.kind === 'model-calls');
  if (called.length > 0 || (stage.def.paid && actions.length === 0)) lines.push(...(await modelCallLines(ctx, stage, called)));
  return lines;
}

async function trainingLine(ctx: SpendContext, stage: RecipeStage, action: Extract<PaidAction, { kind: 'training' }>): Promise<SpendLine> {
  const pricing = ctx.adapter?.pricing ?? 'unknown';
  const kind = ctx.recipe.provider.kind;
  const modelValue = valueOf(ctx, action.model);
  const model = 'value' in modelValue && typeof modelValue.value === 'string' ? modelValue.value : '(model unset)';
  const name = action.label ? `${model} [${action.label}]` : model;
  const line: SpendLine = { stage: stage.id, action: 'training', model, ...(action.label ? { label: action.label } : {}), text: '', free: pricing === 'free' || undefined };
  const minimum = action.allowFewExamples ? undefined : ctx.adapter?.limits?.minTrainingExamples;
  if (pricing === 'free' && minimum === undefined && !ctx.adapter?.describeTraining) return { ...line, costUsd: 0, text: `${name}: free on ${kind}` };
  const file = await fileBehind(ctx, action.trainingFile);
  if ('pending' in file) return { ...line, text: `${name}: cost known once stage ${file.pending} has made the training file` };
  if ('unknown' in file) return { ...line, costUsd: pricing === 'free' ? 0 : null, text: `${name}: cost unknown (its training data is not a file ftpipe can read)` };
  const stats = await trainingFileStats(file.value, { model, cacheDir: join(ctx.ws.cacheDir, 'spend'), signal: ctx.signal });
  if (minimum !== undefined && stats.examples < minimum) line.belowMinimum = { examples: stats.examples, minimum };
  const spec = jobSpecOf(ctx, action, model);
  const price = await priceTraining({ pricing, model, requestedEpochs: valueOrRaw(ctx, action.n_epochs), stats, spec, provider: pricing === 'provider' ? await ctx.provider?.() : undefined, signal: ctx.signal });
  const tokens = `${stats.examples.toLocaleString('en-US')} examples, ${price.billedTokens.toLocaleString('en-US')} billed tokens (${price.epochs} epoch${price.epochs === 1 ? '' : 's'})`;
  const cost = price.costUsd === null ? `; ${price.basis}` : ` ≈ $${price.costUsd.toFixed(2)} on ${kind} (${price.basis})`;
  // A provider that prices the job itself needs the uploaded file: not known yet (absent), not unknown (null).
  // The guard asks again right before train runs, when the upload has happened, and refuses there if need be.
  const costUsd = pricing === 'provider' && !spec ? undefined : price.costUsd;
  return { ...line, examples: stats.examples, billedTokens: price.billedTokens, costUsd, refused: price.refused, text: `${name}: ${tokens}${cost}` };
}

async function modelCallLines(ctx: SpendContext, stage: RecipeStage, called: Array<Extract<PaidAction, { kind: 'model-calls' }>>): Promise<SpendLine[]> {
  if (ctx.adapter?.pricing === 'free') return [];
  const kind = ctx.recipe.provider.kind;
  const lines: SpendLine[] = [{ stage: stage.id, action: 'requests', model: '', inference: true, text: `${stage.uses}: pays per request on ${kind}; inference is not priced by the table (training only)` }];
  const provider = called.length ? await ctx.provider?.() : undefined;
  if (!provider?.capabilities.needsDeployment) return lines;
  // Providers that price serving themselves by the minute (Together endpoints, Fireworks deployments);
  // deployment_hourly_usd is for those that do not (Azure).
  if (provider.servingCost) return [...lines, ...(await servingLines(ctx, stage, called, provider))];
  const hourly = typeof ctx.recipe.provider.deployment_hourly_usd === 'number' ? ctx.recipe.provider.deployment_hourly_usd : null;
  for (const action of called) {
    const resolved = action.trainedHere ? { unknown: true as const } : valueOf(ctx, action.model);
    const model = action.trainedHere ? `the model trained for ${action.label ?? 'a cell'}` : 'value' in resolved && typeof resolved.value === 'string' ? resolved.value : 'pending' in resolved ? `the model of stage ${resolved.pending}` : undefined;
    if (!model || ('value' in resolved && !isFineTunedModel(model))) continue;
    const price = hourly === null ? 'set provider.deployment_hourly_usd to count it' : `≈ $${hourly.toFixed(2)} per started hour`;
    lines.push({ stage: stage.id, action: 'deployment', model, costUsd: hourly, text: `deploys ${model} on ${kind} (reused if it exists; hosting is billed by the hour until deleted): ${price}` });
  }
  return lines;
}

/**
 * Deployments billed by the minute while they run: each model a stage deploys counts its first hour
 * (teardown: true deletes it after the stage). A fine-tune's price follows its base model: the recipe's
 * train stages' models, the dearest if several. Bases served serverless (per token) add nothing.
 */
async function servingLines(ctx: SpendContext, stage: RecipeStage, called: Array<Extract<PaidAction, { kind: 'model-calls' }>>, provider: Provider): Promise<SpendLine[]> {
  const kind = ctx.recipe.provider.kind;
  const bases = [...new Set([...ctx.recipe.stages.values()].filter((s) => s.def.paidActions?.(s.with).some((a) => a.kind === 'training')).map((s) => s.with.model).filter((m): m is string => typeof m === 'string' && !m.includes('${{')))];
  const lines: SpendLine[] = [];
  for (const action of called) {
    const resolved = action.trainedHere ? { unknown: true as const } : valueOf(ctx, action.model);
    const model = action.trainedHere ? `the model trained for ${action.label ?? 'a cell'}` : 'value' in resolved && typeof resolved.value === 'string' ? resolved.value : 'pending' in resolved ? `the model of stage ${resolved.pending}` : undefined;
    if (!model || ('value' in resolved && provider.needsDeploymentFor?.(model) === false)) continue;
    let dearest: { usdPerMinute: number | null; what: string } | undefined;
    try {
      for (const base of bases) {
        const cost = await provider.servingCost!(base, { signal: ctx.signal });
        if (cost && (dearest === undefined || cost.usdPerMinute === null || (dearest.usdPerMinute !== null && cost.usdPerMinute > dearest.usdPerMinute))) dearest = cost;
      }
    } catch (error) {
      lines.push({ stage: stage.id, action: 'deployment', model, costUsd: null, text: `deploys ${model} on ${kind}: serving price unknown (${error instanceof Error ? error.message : error})` });
      continue;
    }
    if (!dearest) continue;
    const hourly = dearest.usdPerMinute === null ? null : roundUsd(dearest.usdPerMinute * 60);
    const price = hourly === null ? 'price not published' : `≈ $${hourly.toFixed(2)} per hour, counted as its first hour`;
    lines.push({ stage: stage.id, action: 'deployment', model, costUsd: hourly, text: `deploys ${model} on ${kind} (${dearest.what}; billed by the minute until deleted): ${price}` });
  }
  return lines;
}

function valueOrRaw(ctx: SpendContext, raw: unknown): unknown {
  const resolved = valueOf(ctx, raw);
  return 'value' in resolved ? resolved.value : undefined;
}

/** The job as train would create it, for providers that price it themselves (needs the uploaded file's id). */
function jobSpecOf(ctx: SpendContext, action: Extract<PaidAction, { kind: 'training' }>, model: string): JobSpec | undefined {
  const fileId = valueOrRaw(ctx, action.trainingFile);
  if (typeof fileId !== 'string') return undefined;
  const validation = valueOrRaw(ctx, action.validationFile);
  const hyperparameters = Object.fromEntries(Object.entries({ n_epochs: valueOrRaw(ctx, action.n_epochs), ...action.hyperparameters }).filter(([, v]) => typeof v === 'number' || v === 'auto'));
  return { model, trainingFile: fileId, validationFile: typeof validation === 'string' ? validation : undefined, method: action.method, hyperparameters, idempotencyKey: 'ftpipe-estimate' };
}
