/**
 * The validate stage's report, and the findings in it that point at the lines of an opened file.
 */
import { realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Finding } from '../data/findings.js';
import { stageOfType, type RecipeView } from './recipe-view.js';
import { stageOutputDir } from '../run/output-paths.js';
import { readJsonIfPresent, readLockStages, workspacePath, type LockStage } from './workspace-files.js';

/** The report as written by stages/validate.ts; every field may be missing in an older report. */
export interface ValidateReportView {
  stage: string;
  report: Record<string, unknown> & { findings?: Finding[] };
  /** Where the report is, relative to the workspace. */
  reportPath: string;
}

/** The Validation page: the report, or where it will be once the recipe ran (stage null: no validate stage). */
export async function readValidationView(workspace: string, recipe: RecipeView | null): Promise<{ stage: string | null; report: ValidateReportView['report'] | null; reportPath: string | null }> {
  const stage = stageOfType(recipe, 'validate');
  if (!recipe || !stage) return { stage: null, report: null, reportPath: null };
  return (await readValidateReport(workspace, recipe)) ?? { stage: stage.id, report: null, reportPath: workspacePath(workspace, reportFile(workspace, recipe, stage.id)) };
}

export async function readValidateReport(workspace: string, recipe: RecipeView | null): Promise<ValidateReportView | null> {
  const stage = stageOfType(recipe, 'validate');
  if (!recipe || !stage) return null;
  const file = reportFile(workspace, recipe, stage.id);
  const report = await readJsonIfPresent<ValidateReportView['report']>(file);
  return report ? { stage: stage.id, report, reportPath: workspacePath(workspace, file) } : null;
}

function reportFile(workspace: string, recipe: RecipeView, stage: string): string {
  return join(stageOutputDir(workspace, recipe.name, stage), 'report.json');
}

/**
 * Findings for the lines of `file`. The engine hands validate absolute paths that may be store objects
 * or another stage's output, so a finding matches by real path, or when the file's content is what the
 * validate stage read (its digest in the lock) and the finding's file has the same name or is the only input.
 */
export async function findingsForFile(options: {
  workspace: string;
  recipe: RecipeView | null;
  file: string;
  sha256: string;
}): Promise<Map<number, Finding[]>> {
  const byLine = new Map<number, Finding[]>();
  const view = await readValidateReport(options.workspace, options.recipe);
  const findings = view?.report.findings;
  if (!view || !Array.isArray(findings)) return byLine;
  const lock: LockStage | undefined = options.recipe ? (await readLockStages(options.workspace, options.recipe.name))[view.stage] : undefined;
  const inputs = lock?.inputs ?? [];
  const sameContent = inputs.some((input) => input.digest === `sha256:${options.sha256}`);
  const real = realPath(options.file);
  const findingFiles = new Set(findings.map((f) => f.file));
  for (const finding of findings) {
    if (!finding || typeof finding.line !== 'number' || finding.line < 1) continue;
    const matches = realPath(finding.file) === real || (sameContent && (findingFiles.size === 1 || basename(finding.file) === basename(options.file)));
    if (!matches) continue;
    const list = byLine.get(finding.line) ?? [];
    list.push(finding);
    byLine.set(finding.line, list);
  }
  return byLine;
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
