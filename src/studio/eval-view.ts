/**
 * The eval stage's report as written by stages/eval.ts (scores per model, per-sample rows, a confusion
 * matrix for classification). Passed through as JSON: the page renders whichever parts are present.
 */
import { join } from 'node:path';
import { stageOfType, type RecipeView } from './recipe-view.js';
import { stageOutputDir } from '../run/output-paths.js';
import { readJsonIfPresent, workspacePath } from './workspace-files.js';

export interface EvalView {
  stage: string | null;
  report: Record<string, unknown> | null;
  /** Where the report is (or will be), relative to the workspace. */
  reportPath: string | null;
}

export async function readEvalView(workspace: string, recipe: RecipeView | null): Promise<EvalView> {
  const stage = stageOfType(recipe, 'eval');
  if (!recipe || !stage) return { stage: null, report: null, reportPath: null };
  const file = join(stageOutputDir(workspace, recipe.name, stage.id), 'report.json');
  return { stage: stage.id, report: await readJsonIfPresent<Record<string, unknown>>(file), reportPath: workspacePath(workspace, file) };
}
