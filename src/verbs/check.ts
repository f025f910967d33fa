/** `ftpipe run --check` / `ftpipe status`: what would run and why, running nothing. */
import { ExitCode } from '../errors.js';
import type { Recipe } from '../recipe/types.js';
import { runPipeline, type StagePlan } from '../run/pipeline.js';
import { readLock } from '../lock/lockfile.js';
import { identifyProvider } from './provider-factory.js';

export async function planRecipe(recipe: Recipe, options: { only?: string[]; from?: string; until?: string; force?: string[] | boolean } = {}): Promise<StagePlan[]> {
  const result = await runPipeline({
    recipe,
    mode: 'plan',
    only: options.only,
    from: options.from,
    until: options.until,
    force: options.force === true ? 'all' : Array.isArray(options.force) ? options.force : undefined,
    emit: () => {},
    // status, plan and --check only read: a provider's instance id is not made here.
    providerIdentity: (config, workspace) => identifyProvider(config, workspace, { create: false }),
  });
  return result.plan;
}

/** Up to date = every stage's key is the one ftpipe.lock records, and the lock names no other stage. */
export async function checkUpToDate(recipe: Recipe, options: { json?: boolean }): Promise<number> {
  const plan = await planRecipe(recipe);
  const stale = plan.filter((s) => !s.inLock);
  const locked = Object.keys(readLock(recipe.root).pipelines[recipe.name]?.stages ?? {});
  const extra = locked.filter((id) => !recipe.stages.has(id));
  if (options.json) {
    process.stdout.write(JSON.stringify({ upToDate: stale.length === 0 && extra.length === 0, stale: stale.map(({ id, reasons }) => ({ id, reasons })), removedStages: extra }) + '\n');
  } else if (stale.length === 0 && extra.length === 0) {
    process.stdout.write(`${recipe.name}: up to date with ftpipe.lock (${plan.length} stages)\n`);
  } else {
    for (const s of stale) process.stdout.write(`${s.id}: out of date: ${s.reasons.join('; ')}\n`);
    for (const id of extra) process.stdout.write(`${id}: in ftpipe.lock but no longer in the recipe\n`);
    process.stdout.write(`${recipe.name}: ftpipe.lock is out of date; run \`ftpipe run ${recipe.name}\` and commit ftpipe.lock\n`);
  }
  return stale.length === 0 && extra.length === 0 ? ExitCode.ok : ExitCode.outOfDate;
}

export function describePlanEntry(s: StagePlan): string {
  switch (s.action) {
    case 'cached':
      return `${s.id}: ${s.reasons.join('; ') || 'up to date'}`;
    case 'restore':
      return `${s.id}: will restore from the run-cache (${s.reasons.join('; ')})`;
    case 'skip':
      return `${s.id}: skipped (${s.reasons.join('; ')})`;
    default:
      return `${s.id}: will run${s.paid ? ' [paid]' : ''}: ${s.reasons.join('; ')}`;
  }
}
