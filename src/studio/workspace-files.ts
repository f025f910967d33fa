/**
 * Files the studio may touch: only inside the workspace (the browser can name any path, so every path
 * is resolved, symlinks included, and refused when it leaves the workspace).
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { FtpipeError } from '../errors.js';
import { stageOutputDir } from '../run/output-paths.js';
import { recipeInputFiles, type RecipeView } from './recipe-view.js';
import { fileAccess } from './file-access.js';

export interface DataFile {
  /** Path relative to the workspace, with forward slashes. */
  path: string;
  source: 'input' | 'output';
  stage?: string;
  size: number;
}

export function resolveInsideWorkspace(workspace: string, userPath: string): string {
  if (typeof userPath !== 'string' || userPath.trim() === '') throw new FtpipeError('no file path given', 'STUDIO_PATH_MISSING', { hint: 'type a path relative to the workspace, e.g. data/train.jsonl' });
  const abs = isAbsolute(userPath) ? resolve(userPath) : resolve(workspace, userPath);
  const root = realpathSync(workspace);
  // Resolve symlinks of the deepest existing ancestor, so a link pointing outside is refused too.
  let existing = abs;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = join(realpathSync(existing), relative(existing, abs));
  if (real !== root && !real.startsWith(root + sep)) {
    throw new FtpipeError(`"${userPath}" is outside the workspace ${workspace}`, 'STUDIO_PATH_OUTSIDE', { hint: 'the studio only opens files inside the workspace; copy the file into it first' });
  }
  return abs;
}

export function workspacePath(workspace: string, abs: string): string {
  return relative(workspace, abs).split(sep).join('/');
}

/** The recipe's input data files and every JSONL output of its stages (.ftpipe/out/<recipe>/<stage>/), only those the studio may open. */
export function listDataFiles(workspace: string, recipe: RecipeView | null): DataFile[] {
  const inputs = recipe ? recipeInputFiles(recipe, workspace) : [];
  return listCandidates(workspace, recipe).filter((file) => {
    try {
      fileAccess(workspace, join(workspace, file.path), inputs);
      return true;
    } catch {
      return false;
    }
  });
}

function listCandidates(workspace: string, recipe: RecipeView | null): DataFile[] {
  const files: DataFile[] = [];
  if (!recipe) return files;
  // JSONL inputs open for editing; ShareGPT JSON and CSV inputs open read-only (source-preview.ts).
  for (const abs of recipeInputFiles(recipe, workspace)) files.push({ path: workspacePath(workspace, abs), source: 'input', size: statSync(abs).size });
  for (const stage of recipe.stages.map((s) => s.id).sort()) {
    const dir = stageOutputDir(workspace, recipe.name, stage);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      if (name.endsWith('.jsonl') && name !== 'events.jsonl') files.push({ path: workspacePath(workspace, abs), source: 'output', stage, size: statSync(abs).size });
    }
  }
  return files;
}

/** A JSON file that may not exist yet (reports, last.json): null when absent or unreadable. */
export async function readJsonIfPresent<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export interface LockStage {
  uses?: string;
  key?: string;
  params?: Record<string, unknown>;
  inputs?: Array<{ path?: string; stage?: string; output?: string; digest?: string; size?: number }>;
  outputs?: Record<string, { digest?: string; size?: number; value?: unknown }>;
}

/** This recipe's stages in ftpipe.lock (empty when there is no lock or no entry). */
export async function readLockStages(workspace: string, recipeName: string): Promise<Record<string, LockStage>> {
  try {
    const lock = parse(await readFile(join(workspace, 'ftpipe.lock'), 'utf8')) as { pipelines?: Record<string, { stages?: Record<string, LockStage> }> };
    return lock?.pipelines?.[recipeName]?.stages ?? {};
  } catch {
    return {};
  }
}
