/** `ftpipe status` and `ftpipe plan`: the decision for every stage, with reasons (and spend, deprecations). */
import { loadRecipe } from '../recipe/load.js';
import { describePlanEntry, planRecipe } from './check.js';
import { planNotes } from './plan-notes.js';
import { addTrainingOutlook } from './training-outlook.js';
import { lazyProviderFactory } from './provider-factory.js';
import type { Recipe } from '../recipe/types.js';
import type { ModelInfo } from '../providers/types.js';

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

export async function statusCommand(file: string, options: { set?: string[]; json?: boolean; only?: string[]; from?: string; until?: string; force?: string[] | boolean; provider?: string; askProvider?: boolean }): Promise<number> {
  const recipe = await loadRecipe(file, { set: options.set });
  if (options.provider) recipe.provider = { ...recipe.provider, kind: options.provider };
  const plan = await planRecipe(recipe, options);
  const paid = [...recipe.stages.values()].some((s) => s.def.paid);
  const providerModels = options.askProvider && paid ? await listProviderModels(recipe) : undefined;
  const notes = await planNotes(recipe, plan, { providerModels });
  notes.spend = await addTrainingOutlook(recipe, notes.spend, { askProvider: options.askProvider });
  if (options.json) {
    process.stdout.write(JSON.stringify({ recipe: recipe.name, provider: recipe.provider.kind, stages: plan, spend: notes.spend, warnings: notes.warnings }, null, 2) + '\n');
    return 0;
  }
  for (const entry of plan) process.stdout.write(describePlanEntry(entry) + '\n');
  for (const line of notes.spend) process.stdout.write(`spend: ${line.stage}: ${line.text}\n`);
  for (const warning of notes.warnings) process.stdout.write(`warning: ${warning}\n`);
  const toRun = plan.filter((p) => p.action === 'run').length;
  process.stdout.write(toRun === 0 ? 'nothing to run\n' : `${toRun} stage(s) would run\n`);
  return 0;
}
