/** JSON Schema validation (ajv, draft 2020-12) whose errors point at file:line:col with a suggestion. */
import type { Ajv2020 as AjvType, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import { schemasDir } from '../paths.js';
import { locate, type PositionedDocument } from './document.js';
import { closest } from './suggest.js';

let ajv: AjvType | undefined;
const compiled = new Map<string, ValidateFunction>();

/** ajv is loaded on first use only: a rerun of an unchanged recipe never needs it (see validation-memo). */
async function getAjv(): Promise<AjvType> {
  if (!ajv) {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, allowUnionTypes: true });
  }
  return ajv;
}

export async function validatorFor(schemaFile: string): Promise<ValidateFunction> {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    delete schema.$id; // several copies of a package may be loaded; ids are for editors
    validate = (await getAjv()).compile(schema);
    compiled.set(schemaFile, validate);
  }
  return validate;
}

export async function compileInlineSchema(schema: Record<string, unknown>): Promise<ValidateFunction> {
  const { $id: _ignored, ...rest } = schema;
  return (await getAjv()).compile(rest);
}

export const pipelineSchemaFile = join(schemasDir, 'pipeline.schema.json');

let pipeline: Promise<ValidateFunction> | undefined;

/** The recipe's top level, with each provider kind's block; stage params are checked per stage (stage-resolve). */
export function pipelineValidator(): Promise<ValidateFunction> {
  pipeline ??= (async () => {
    const [{ buildPipelineSchema }, { loadAllAdapters }] = await Promise.all([import('./pipeline-schema.js'), import('../providers/registry.js')]);
    return compileInlineSchema(buildPipelineSchema({ adapters: await loadAllAdapters(), stageParams: false }));
  })();
  return pipeline;
}

/** Validate `value` (found at `basePath` inside the document) and turn errors into positioned problems. */
export function checkAgainst(
  validate: ValidateFunction,
  value: unknown,
  pd: PositionedDocument,
  basePath: Array<string | number>,
): Problem[] {
  if (validate(value)) return [];
  const errors = collapseAlternatives(validate.errors ?? []);
  return dedupe(errors.filter(isReportable).map((e) => toProblem(e, pd, basePath)));
}

/** A failed oneOf/anyOf reports once ("expected a string or a list") instead of once per branch. */
function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  if (alternatives.length === 0) return errors;
  const inside = (e: ErrorObject) => alternatives.some((a) => a !== e && e.schemaPath.startsWith(a.schemaPath + '/') && e.instancePath.startsWith(a.instancePath));
  const summaries = alternatives.map((a) => ({ ...a, keyword: 'alternatives', message: `expected ${describeBranches(a.schema as unknown[])}` }));
  return [...errors.filter((e) => !inside(e) && e.keyword !== 'oneOf' && e.keyword !== 'anyOf'), ...summaries];
}

function describeBranches(branches: unknown[]): string {
  const names = branches.map((b) => {
    const branch = b as { type?: string; items?: { type?: string }; const?: unknown; enum?: unknown[] };
    if (branch.type === 'array') return `a list${branch.items?.type ? ` of ${branch.items.type}s` : ''}`;
    if (branch.type) return `a ${branch.type}`;
    if (branch.enum) return `one of ${branch.enum.map((v) => JSON.stringify(v)).join(', ')}`;
    return 'an allowed value';
  });
  return names.join(' or ');
}

function isReportable(error: ErrorObject): boolean {
  // oneOf/if wrappers repeat what their branches already said.
  return error.keyword !== 'if' && error.keyword !== 'oneOf' && error.keyword !== 'anyOf';
}

function toProblem(error: ErrorObject, pd: PositionedDocument, basePath: Array<string | number>): Problem {
  const path = [...basePath, ...pointerToPath(error.instancePath)];
  const where = path.join('.') || '(top level)';
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
    const guess = closest(key, known);
    return {
      ...locate(pd, [...path, key], { key: true }),
      message: `unknown key "${key}" in ${where}`,
      hint: guess ? `did you mean "${guess}"?` : known.length ? `expected one of: ${known.join(', ')}` : undefined,
    };
  }
  const exclusive = error.keyword === 'not' ? (error.schema as { required?: string[] }).required : undefined;
  if (exclusive) {
    // `not: {required: [a, b]}` in a stage schema: params that exclude each other.
    return { ...locate(pd, [...path, exclusive[exclusive.length - 1]], { key: true }), message: `${where}: give ${exclusive.join(' or ')}, not both`, hint: `remove ${exclusive.slice(1).join(', ')} or ${exclusive[0]}` };
  }
  if (error.keyword === 'required') {
    return { ...locate(pd, path), message: `${where}: missing required key "${error.params.missingProperty}"` };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
    const guess = typeof error.data === 'string' ? closest(error.data, (error.params.allowedValues as unknown[]).map(String)) : undefined;
    return {
      ...locate(pd, path),
      message: `${where}: ${JSON.stringify(error.data)} is not allowed; expected one of ${allowed.join(', ')}`,
      hint: guess ? `did you mean "${guess}"?` : undefined,
    };
  }
  if (error.keyword === 'propertyNames') {
    return { ...locate(pd, path), message: `${where}: invalid name ${JSON.stringify(error.params.propertyName)} (${error.message})` };
  }
  if (error.keyword === 'pattern' && error.propertyName) {
    return { ...locate(pd, [...path, error.propertyName], { key: true }), message: `${where}: invalid name "${error.propertyName}": must match ${error.params.pattern}` };
  }
  return { ...locate(pd, path), message: `${where}: ${error.message}${describeData(error.data)}` };
}

function describeData(data: unknown): string {
  if (data === undefined || (typeof data === 'object' && data !== null)) return '';
  return ` (got ${JSON.stringify(data)})`;
}

function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
