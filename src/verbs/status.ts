/** `ftpipe status` and `ftpipe plan`: the decision for every stage, with reasons (and spend, deprecations). */
import { loadRecipe } from '../recipe/load.js';
import { noteWorkspaceRoot } from '../cli/root-notice.js';
import { describePlanEntry, planRecipe } from './check.js';
import { planNotes, providerProbe } from './plan-notes.js';
import { addTrainingOutlook } from './training-outlook.js';
import { lazyProviderFactory } from './provider-factory.js';
import type { Recipe } from '../recipe/types.js';
import type { ModelInfo } from '../providers/types.js';
import { servingCostLines, type ServingLine } from '../remote/serving-cost.js';

/** The provider's own model list (shutdown dates); read-only and free. Unreachable or no key: the catalog alone. */
async function listProviderModels(recipe: Recipe): Promise<ModelInfo[] | undefined> {
  try {
    const provider = await lazyProviderFactory(recipe.provider, { workspace: recipe.root, env: process.env });
    try {
      return await provider.listModels({ signal: AbortSignal.timeout(5000) });
    } finally {
      await provider.close();
    }
  } catch {
    return undefined;
  }
}

/** Per-minute serving costs (dedicated endpoints, deployments); read-only. Unreachable or no key: none listed. */
async function servingCosts(recipe: Recipe, plan: Awaited<ReturnType<typeof planRecipe>>): Promise<ServingLine[]> {
  try {
    return await servingCostLines(recipe, plan, (config) => lazyProviderFactory(config, { workspace: recipe.root, env: process.env }), { signal: AbortSignal.timeout(5000) });
  } catch {
    return [];
  }
}

export async function statusCommand(file: string, options: { set?: string[]; json?: boolean; only?: string[]; from?: string; until?: string; force?: string[] | boolean; provider?: string; askProvider?: boolean }): Promise<number> {
  const recipe = await loadRecipe(file, { set: options.set, onRoot: noteWorkspaceRoot });
  if (options.provider) recipe.provider = { ...recipe.provider, kind: options.provider };
  const plan = await planRecipe(recipe, options);
  const paid = [...recipe.stages.values()].some((s) => s.def.paid);
  const providerModels = options.askProvider && paid ? await listProviderModels(recipe) : undefined;
  const probe = providerProbe(recipe);
  const notes = await planNotes(recipe, plan, { providerModels, provider: options.askProvider ? probe.get : undefined }).finally(() => probe.close());
  if (notes.free) for (const entry of plan) entry.paid = false; // a free provider has no paid stages to mark
  const serving = options.askProvider && paid && !notes.free ? await servingCosts(recipe, plan) : [];
  // A self-hosted kind (trl) prices training at $0 and, where it can tell, adds the device and a time estimate.
  if (notes.free) notes.spend.push(...(await addTrainingOutlook(recipe, notes.freeLines, { askProvider: options.askProvider })));
  if (options.json) {
    process.stdout.write(JSON.stringify({ recipe: recipe.name, provider: recipe.provider.kind, stages: plan, spend: notes.spend, serving, warnings: notes.warnings }, null, 2) + '\n');
    return 0;
  }
  for (const entry of plan) process.stdout.write(describePlanEntry(entry) + '\n');
  for (const line of notes.spend) process.stdout.write(`spend: ${line.stage}: ${line.text}\n`);
  for (const line of serving) process.stdout.write(`serving: ${line.text}\n`);
  for (const warning of notes.warnings) process.stdout.write(`warning: ${warning}\n`);
  const toRun = plan.filter((p) => p.action === 'run').length;
  process.stdout.write(toRun === 0 ? 'nothing to run\n' : `${toRun} stage(s) would run\n`);
  return 0;
}
