/**
 * Where a recipe's latest stage outputs are shown to people and tools:
 * `.ftpipe/out/<recipe>/<stage>/<output><ext>`, `<recipe>` being the recipe's path relative to the workspace
 * root exactly as ftpipe.lock keys it (e.g. `.ftpipe/out/pipelines/error-cat.yaml/eval/report.json`).
 * Keeping the file name makes every folder unique: a recipe file is never a folder of another recipe, and
 * stage ids hold no dot. Build these paths only here.
 */
import { join } from 'node:path';
import type { OutputSpec } from '../stage/types.js';

export function stageOutputDir(workspace: string, recipe: string, stage: string): string {
  return join(recipeOutputDir(workspace, recipe), stage);
}

/** The folder holding one folder per stage of the recipe. */
export function recipeOutputDir(workspace: string, recipe: string): string {
  return join(workspace, '.ftpipe', 'out', ...recipeSegments(recipe));
}

export function stageOutputFile(workspace: string, recipe: string, stage: string, output: string, spec: OutputSpec | undefined): string {
  return join(stageOutputDir(workspace, recipe, stage), outputFileName(output, spec));
}

/** A file output is named `<output><ext>`; a folder output `<output>`. */
export function outputFileName(output: string, spec: OutputSpec | undefined): string {
  return output + (spec?.kind === 'file' ? (spec.ext ?? '') : '');
}

/** The recipe's name as folders; a name leaving the workspace ("../x.yaml") stays inside .ftpipe/out. */
function recipeSegments(recipe: string): string[] {
  return recipe.split(/[\\/]+/).filter((s) => s !== '' && s !== '.').map((s) => (s === '..' ? '_up_' : s));
}
