/**
 * Spend awareness for `ftpipe run`: at the start, the paid stages that would run are listed with their
 * estimates and `--max-cost USD` refuses the whole run when a known estimate is above it; right before
 * a paid stage starts (when validate's report may only just exist) the estimate is checked again.
 * The price table covers training; inference stages are listed but not guarded.
 */
import { ExitCode, FtpipeError } from '../errors.js';
import type { Recipe, RecipeStage } from '../recipe/types.js';
import { planRecipe } from './check.js';
import { estimateStage, type SpendLine } from './plan-notes.js';

/** Before anything runs: the paid stages that would run, with their estimates. Throws above --max-cost. */
export async function spendPreflight(recipe: Recipe, options: { maxCost?: number; only?: string[]; from?: string; until?: string; force?: string[] | boolean }): Promise<SpendLine[]> {
  if (![...recipe.stages.values()].some((s) => s.def.paid)) return [];
  const plan = await planRecipe(recipe, options);
  const lines = plan.filter((p) => p.paid && p.action === 'run' && p.selected).map((p) => estimateStage(recipe, recipe.stages.get(p.id)!, modelOf(recipe.stages.get(p.id)!)));
  if (options.maxCost !== undefined) for (const line of lines) if (typeof line.costUsd === 'number') refuseAbove(line, options.maxCost);
  return lines;
}

/** Right before a paid stage starts. */
export function spendGuard(recipe: Recipe, maxCost: number | undefined) {
  return async (stage: RecipeStage): Promise<void> => {
    if (maxCost === undefined || !stage.def.paid) return;
    const line = estimateStage(recipe, stage, modelOf(stage));
    if (line.inference) return;
    if (typeof line.costUsd !== 'number') {
      throw new FtpipeError(`stage "${stage.id}": cannot estimate its cost (${line.text}), and --max-cost is set`, 'MAX_COST_UNKNOWN', { stage: stage.id, hint: 'add a validate stage upstream of the training data, or drop --max-cost', exitCode: ExitCode.usage });
    }
    refuseAbove(line, maxCost);
  };
}

function refuseAbove(line: SpendLine, maxCost: number): void {
  if ((line.costUsd as number) <= maxCost) return;
  throw new FtpipeError(`would cost about $${(line.costUsd as number).toFixed(2)} (${line.text}), above --max-cost ${maxCost}`, 'MAX_COST_EXCEEDED', {
    stage: line.stage,
    hint: 'reduce the data or n_epochs, or raise --max-cost',
    exitCode: ExitCode.usage,
  });
}

function modelOf(stage: RecipeStage): string | undefined {
  return typeof stage.with.model === 'string' ? stage.with.model : undefined;
}
