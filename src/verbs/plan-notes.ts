/**
 * The spend-aware part of a plan: for each stage that would run, its paid actions (training jobs
 * priced from the file they upload, deployments, per-request inference; see spend-lines.ts), and
 * deprecation warnings. Nothing is listed for a free provider.
 */
import type { ProviderAdapter } from '../providers/adapter.js';
import { loadAdapter } from '../providers/registry.js';
import type { ModelInfo, Provider, ProviderConfig, ProviderIdentity } from '../providers/types.js';
import type { Recipe } from '../recipe/types.js';
import { readLock } from '../lock/lockfile.js';
import { deprecationWarnings } from '../remote/deprecation.js';
import type { StagePlan } from '../run/pipeline.js';
import { openWorkspace } from '../run/workspace.js';
import type { SettledOutputs } from './paid-actions.js';
import { lazyProviderFactory } from './provider-factory.js';
import { spendLines, spends, type SpendContext, type SpendLine } from './spend-lines.js';

export type { SpendLine } from './spend-lines.js';

export async function planNotes(recipe: Recipe, plan: StagePlan[], options: { today?: string; providerModels?: ModelInfo[]; provider?: () => Promise<Provider | undefined> } = {}): Promise<{ spend: SpendLine[]; freeLines: SpendLine[]; warnings: string[]; free: boolean }> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const ctx = await planSpendContext(recipe, plan, options.provider);
  const spend: SpendLine[] = [];
  const warnings: string[] = [];
  for (const entry of plan) {
    const stage = recipe.stages.get(entry.id)!;
    if (!spends(stage)) continue;
    const model = typeof stage.with.model === 'string' ? stage.with.model : undefined;
    warnings.push(...deprecationWarnings({ identity: identityOf(recipe.provider), model, today, providerModels: options.providerModels }));
    if (entry.action === 'run') spend.push(...(await spendLines(ctx, stage)));
  }
  return { spend: spend.filter((line) => !line.free), freeLines: spend.filter((line) => line.free), warnings: [...new Set(warnings)], free: ctx.adapter?.pricing === 'free' };
}

/** Resolution against what a plan knows: the lock's outputs of stages that are up to date (the rest have yet to run). */
export async function planSpendContext(recipe: Recipe, plan: StagePlan[], provider?: () => Promise<Provider | undefined>): Promise<SpendContext & { adapter: ProviderAdapter | undefined }> {
  const lock = readLock(recipe.root).pipelines[recipe.name]?.stages ?? {};
  const ws = openWorkspace(recipe.root, () => {});
  const byId = new Map(plan.map((p) => [p.id, p]));
  const outputs: SettledOutputs = (id) => {
    const entry = byId.get(id);
    if (entry?.action === 'cached') return lock[id]?.outputs;
    if (entry?.action === 'restore' && entry.key) return ws.runCache.get(entry.key)?.outputs;
    return undefined;
  };
  return { recipe, ws, outputs, adapter: await loadAdapter(recipe.provider.kind), provider };
}

/** A provider for capabilities and provider pricing before a run has one: made on first need (never if nothing asks), closed after. */
export function providerProbe(recipe: Recipe): { get: () => Promise<Provider | undefined>; close: () => Promise<void> } {
  let made: Promise<Provider | undefined> | undefined;
  return {
    get: () => (made ??= lazyProviderFactory(recipe.provider, { workspace: recipe.root, env: process.env }).catch(() => undefined)),
    close: async () => void (await (await made)?.close()),
  };
}

export function identityOf(config: ProviderConfig): ProviderIdentity {
  return { kind: config.kind, baseUrl: config.base_url, organization: config.organization, project: config.project, apiVersion: config.api_version };
}
