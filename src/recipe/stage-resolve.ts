/** One stage of a recipe: its type loaded, defaults applied, params checked against its schema. */
import { existsSync, readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { FtpipeError, formatLocation, type Problem } from '../errors.js';
import { builtinSchemaFile, isModuleReference, loadStage, type LoadedStage } from '../stage/registry.js';
import type { StageDefinition } from '../stage/types.js';
import { locate, type PositionedDocument } from './document.js';
import { expressionsIn, stageRefsIn } from './expressions.js';
import { checkAgainst, compileInlineSchema, validatorFor } from './schema-check.js';
import { closest } from './suggest.js';
import type { RecipeStage } from './types.js';

interface ResolveStageInput {
  pd: PositionedDocument;
  id: string;
  raw: Record<string, any>;
  defaults: Record<string, unknown>;
  knownTypes: string[];
  root: string;
  problems: Problem[];
  /** False when this exact recipe already passed the schema checks (validation memo). */
  checkSchema: boolean;
}

export async function resolveStage({ pd, id, raw, defaults, knownTypes, root, problems, checkSchema }: ResolveStageInput): Promise<RecipeStage | undefined> {
  const uses = raw?.uses;
  if (typeof uses !== 'string') return undefined; // the pipeline schema already reported it
  if (!isModuleReference(uses) && !knownTypes.includes(uses)) {
    const guess = closest(uses, knownTypes);
    problems.push({ ...locate(pd, ['stages', id, 'uses']), message: `stage "${id}": unknown stage type "${uses}"`, hint: guess ? `did you mean "${guess}"?` : `known types: ${knownTypes.join(', ')}` });
    return undefined;
  }
  let loaded: LoadedStage;
  try {
    loaded = await loadStage(uses, root);
  } catch (error) {
    if (!(error instanceof FtpipeError)) throw error;
    const usesAt = locate(pd, ['stages', id, 'uses']);
    // A module that fails to load is reported where it fails (module file:line), naming the recipe line that loads it.
    if (error.location) problems.push({ ...error.location, message: `stage "${id}": ${error.message}`, hint: [error.hint, `loaded by ${formatLocation(usesAt)} (uses: ${uses})`].filter(Boolean).join('; ') });
    else problems.push({ ...usesAt, message: `stage "${id}": ${error.message}`, hint: error.hint });
    return undefined;
  }
  const { def, codeFiles } = loaded;
  const params: Record<string, unknown> = { ...(raw.with ?? {}) };
  const allowed = allowedParams(uses, def);
  for (const [key, value] of Object.entries(defaults)) {
    if (!(key in params) && allowed?.has(key)) params[key] = value;
  }
  const validate = checkSchema ? await schemaValidator(uses, def) : undefined;
  if (validate) {
    const referenced = new Set(Object.keys(params).filter((k) => isWholeStageRef(params[k])));
    const found = checkAgainst(validate, params, pd, ['stages', id, 'with']);
    // A value coming from another stage is only known at run time; its type is checked then.
    problems.push(...found.filter((p) => !referenced.has(String(p.path?.split('.')[3]))));
  }
  // Not memoised with the schema checks: these look at the file system (symlinks, existing paths).
  for (const p of (await def.checkParams?.(params, { workspace: root })) ?? []) {
    problems.push({ ...locate(pd, ['stages', id, 'with', ...p.param]), message: `stage "${id}": ${p.message}`, hint: p.hint });
  }
  const needs = raw.needs === undefined ? [] : Array.isArray(raw.needs) ? raw.needs : [raw.needs];
  const refs = stageRefsIn(params);
  const outputs = { ...def.outputs, ...(def.dynamicOutputs?.(params) ?? {}) };
  return { id, uses, with: params, refs, def, codeFiles, outputs, needs: [...new Set([...refs.map((r) => r.stage), ...needs])] };
}

async function schemaValidator(uses: string, def: StageDefinition): Promise<ValidateFunction | undefined> {
  if (!isModuleReference(uses)) {
    const file = builtinSchemaFile(uses);
    return existsSync(file) ? validatorFor(file) : undefined;
  }
  return def.schema ? compileInlineSchema(def.schema) : undefined;
}

/** Param names of the stage's schema (defaults only fill params the stage has). */
export function allowedParams(uses: string, def: StageDefinition): Set<string> | undefined {
  const schema = isModuleReference(uses) ? def.schema : readSchema(builtinSchemaFile(uses));
  const properties = (schema as { properties?: object } | undefined)?.properties;
  return properties ? new Set(Object.keys(properties)) : undefined;
}

function readSchema(file: string): Record<string, unknown> | undefined {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function isWholeStageRef(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const found = expressionsIn(value);
  return found.length === 1 && found[0].match === value.trim() && found[0].expression.kind === 'stage';
}
