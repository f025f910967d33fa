/**
 * The recipe as the studio needs it: stage ids, types, params and edges. Parsed here with plain YAML
 * (not the engine's loader) so the studio still opens a recipe that does not validate yet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { FtpipeError } from '../errors.js';
import type { ProviderConfig } from '../providers/types.js';

export interface StageView {
  id: string;
  uses: string;
  with: Record<string, unknown>;
  /** Stages this one waits for: `needs` plus every `${{ stages.<id>.… }}` reference in `with`. */
  needs: string[];
}

export interface RecipeView {
  /** Absolute path of the recipe file. */
  file: string;
  /** Recipe path relative to the workspace (its key in ftpipe.lock), with forward slashes. */
  name: string;
  title: string;
  provider: ProviderConfig;
  stages: StageView[];
  /** `vars:` and `defaults:` as written, for the few values the pages show resolved (recipe-params.ts). */
  vars: Record<string, unknown>;
  defaults: Record<string, unknown>;
}

const STAGE_REF = /\$\{\{\s*stages\.([A-Za-z0-9_-]+)\./g;

export function readRecipeView(file: string, workspace: string): RecipeView {
  if (!existsSync(file)) throw new FtpipeError(`recipe not found: ${file}`, 'STUDIO_RECIPE_NOT_FOUND', { hint: 'pass the path of a recipe, e.g. ftpipe studio pipelines/error-cat.yaml' });
  let doc: Record<string, any>;
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, any>;
  } catch (error) {
    const pos = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new FtpipeError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${(error as Error).message.split('\n')[0]}`, 'STUDIO_RECIPE_INVALID', {
      location: { file, line: pos?.line, column: pos?.col },
      hint: 'fix the YAML (ftpipe lint shows every problem)',
    });
  }
  const stages = Object.entries((doc.stages ?? {}) as Record<string, any>).map(([id, raw]) => stageView(id, raw ?? {}));
  const provider = doc.provider && typeof doc.provider === 'object' ? (doc.provider as ProviderConfig) : { kind: 'local' };
  return {
    file,
    name: relative(workspace, file).split(sep).join('/'),
    title: typeof doc.title === 'string' ? doc.title : typeof doc.name === 'string' ? doc.name : relative(workspace, file),
    provider: { ...provider, kind: provider.kind ?? 'local' },
    stages,
    vars: plainObject(doc.vars),
    defaults: plainObject(doc.defaults),
  };
}

function plainObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stageView(id: string, raw: Record<string, any>): StageView {
  const params = raw.with && typeof raw.with === 'object' ? (raw.with as Record<string, unknown>) : {};
  const needs = new Set<string>(Array.isArray(raw.needs) ? raw.needs.map(String) : typeof raw.needs === 'string' ? [raw.needs] : []);
  for (const match of JSON.stringify(params).matchAll(STAGE_REF)) needs.add(match[1]);
  return { id, uses: String(raw.uses ?? ''), with: params, needs: [...needs] };
}

/** The first stage of a type (`uses: wait`), or of a module whose name mentions it. */
export function stageOfType(recipe: RecipeView | null, type: string): StageView | undefined {
  if (!recipe) return undefined;
  return recipe.stages.find((s) => s.uses === type) ?? recipe.stages.find((s) => s.uses.split(/[/\\.]/).includes(type));
}

/** Input files named in stage params (strings that are existing files in the workspace). */
export function recipeInputFiles(recipe: RecipeView, workspace: string): string[] {
  const files = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string' && !value.includes('${{') && /\.(jsonl|json|csv|tsv)$/i.test(value)) {
      const abs = resolve(workspace, value);
      if (abs.startsWith(workspace + sep) && existsSync(abs)) files.add(abs);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const stage of recipe.stages) visit(stage.with);
  return [...files];
}
