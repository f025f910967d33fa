/**
 * The eval stage's report as written by stages/eval.ts (scores per model, per-sample rows, a confusion
 * matrix for classification). Passed through as JSON: the page renders whichever parts are present.
 */
import { join } from 'node:path';
import { stageOfType, type RecipeView } from './recipe-view.js';
import { readJsonIfPresent, stageOutDir } from './workspace-files.js';

export interface EvalView {
  stage: string | null;
  report: Record<string, unknown> | null;
}

export async function readEvalView(workspace: string, recipe: RecipeView | null): Promise<EvalView> {
  const stage = stageOfType(recipe, 'eval');
  if (!stage) return { stage: null, report: null };
  return { stage: stage.id, report: await readJsonIfPresent<Record<string, unknown>>(join(stageOutDir(workspace, stage.id), 'report.json')) };
}
