/** `--max-cost USD`: refuse to start a paid stage whose estimate is above it (or unknown). */
import { ExitCode, FtpipeError } from '../errors.js';
import type { Recipe, RecipeStage } from '../recipe/types.js';
import { estimateStage } from './plan-notes.js';

export function spendGuard(recipe: Recipe, maxCost: number | undefined) {
  return async (stage: RecipeStage): Promise<void> => {
    if (maxCost === undefined || !stage.def.paid) return;
    const line = estimateStage(recipe, stage, typeof stage.with.model === 'string' ? stage.with.model : undefined);
    if (line.costUsd === undefined || line.costUsd === null) {
      throw new FtpipeError(`stage "${stage.id}": cannot estimate its cost (${line.text}), and --max-cost is set`, 'MAX_COST_UNKNOWN', { stage: stage.id, hint: 'add a validate stage upstream of the training data, or drop --max-cost', exitCode: ExitCode.usage });
    }
    if (line.costUsd > maxCost) {
      throw new FtpipeError(`stage "${stage.id}" would cost about $${line.costUsd.toFixed(2)}, above --max-cost ${maxCost}`, 'MAX_COST_EXCEEDED', { stage: stage.id, hint: 'reduce the data or n_epochs, or raise --max-cost', exitCode: ExitCode.usage });
    }
  };
}
