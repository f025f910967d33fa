/**
 * parse (YAML with positions) → check (schema, secrets) → resolve (vars, env, defaults, stage types,
 * references, cycles). Every problem found is reported together in one RecipeError.
 */
import { relative } from 'node:path';
import { parse as parseYamlScalar } from 'yaml';
import { RecipeError, type Problem } from '../errors.js';
import { findCycle } from '../graph/dag.js';
import type { ProviderConfig } from '../providers/types.js';
import { builtinStageTypes } from '../stage/registry.js';
import { locate, parseYamlFile, unusableValue, type PositionedDocument } from './document.js';
import { checkRules } from './rules.js';
import { checkAgainst, pipelineValidator } from './schema-check.js';
import { findResolvedSecrets, findSecrets, findSecretsInOverride } from './secrets.js';
import { addProviderKeyNames } from './provider-keys.js';
import { nonRegularInputs } from './input-files.js';
import { addWorkspaceSecrets } from '../secrets/known-secrets.js';
import { withDotEnv } from '../secrets/dotenv.js';
import { closest as closestOf } from './suggest.js';
import { resolveStage } from './stage-resolve.js';
import { substituteVarsAndEnv } from './vars.js';
import type { Recipe, RecipeStage } from './types.js';
import { findWorkspaceRoot } from './workspace-root.js';
import { validationKey, wasValidated } from './validation-memo.js';

export interface LoadOptions {
  /** `--set stage.param=value` overrides. */
  set?: string[];
  env?: NodeJS.ProcessEnv;
  root?: string;
  /** Told the workspace root once it is known (the CLI prints it when it is not the current directory). */
  onRoot?: (root: string) => void;
  /** `ftpipe lint`: also the checks that depend on the files present now (input files exist). */
  lint?: boolean;
}

export async function loadRecipe(file: string, options: LoadOptions = {}): Promise<Recipe> {
  const root = options.root ?? findWorkspaceRoot(file);
  options.onRoot?.(root);
  const name = relative(root, file).split('\\').join('/');
  const pd = parseYamlFile(file, name);
  addWorkspaceSecrets(root);
  const problems: Problem[] = [...findSecrets(pd)];
  if (!isPlainObject(pd.value)) throw new RecipeError([{ file: name, line: 1, column: 1, message: 'a recipe is a YAML mapping with a `stages:` key' }]);
  applyOverrides(pd, options.set ?? [], problems);
  const raw = pd.value as Record<string, any>;
  // `${{ env.X }}` reads the environment, then the workspace's .env (as provider keys do).
  const env = withDotEnv(root, options.env ?? process.env);
  const value = substituteVarsAndEnv(pd, raw, env, problems) as Record<string, any>;
  const memoKey = validationKey(value, root);
  const checkSchema = !wasValidated(root, memoKey);
  if (checkSchema) problems.push(...checkAgainst(await pipelineValidator(), pd.value, pd, []));
  if (!isPlainObject(raw.stages)) throw new RecipeError(problems.length ? problems : [{ file: name, message: 'missing `stages:`' }]);
  const knownTypes = builtinStageTypes();
  const stageIds = Object.keys(value.stages);
  const stages = new Map<string, RecipeStage>();
  for (const id of stageIds) {
    const stage = await resolveStage({ pd, id, raw: value.stages[id], defaults: value.defaults ?? {}, knownTypes, root, problems, checkSchema });
    if (stage) stages.set(id, stage);
  }
  await addProviderKeyNames(value.provider, env, { loadAdapter: [...stages.values()].some((st) => st.def.usesProvider) });
  for (const stage of stages.values()) {
    problems.push(...findResolvedSecrets(stage.with, ['stages', stage.id, 'with'], (path) => locate(pd, path), problems));
    problems.push(...nonRegularInputs(stage, root, (path) => locate(pd, path)));
  }
  if (isPlainObject(value.provider)) problems.push(...findResolvedSecrets(value.provider, ['provider'], (path) => locate(pd, path), problems));
  checkReferences(pd, stages, stageIds, problems);
  checkRules({ pd, value, stages, root, problems }, { lint: options.lint });
  if (problems.length === 0) {
    const cycle = findCycle(new Map([...stages].map(([id, s]) => [id, s.needs])));
    if (cycle) problems.push({ ...locate(pd, ['stages', cycle[0]], { key: true }), message: `the stages form a cycle: ${cycle.join(' → ')}`, hint: 'remove one of these references or needs' });
  }
  if (problems.length > 0) throw new RecipeError(sortProblems(problems));
  return {
    file,
    name,
    title: typeof value.name === 'string' ? value.name : name,
    root,
    provider: (value.provider as ProviderConfig | undefined) ?? { kind: 'local' },
    stages,
    ...(checkSchema ? { validationMemo: memoKey } : {}),
  };
}

function applyOverrides(pd: PositionedDocument, sets: string[], problems: Problem[]): void {
  const stages = (pd.value as Record<string, any>).stages;
  for (const assignment of sets) {
    const m = /^([a-z][a-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(assignment);
    if (!m) {
      problems.push({ file: '--set', message: `--set ${assignment}: expected STAGE.PARAM=VALUE`, hint: 'e.g. --set train.n_epochs=5' });
      continue;
    }
    const [, stageId, param, text] = m;
    if (!isPlainObject(stages) || !isPlainObject(stages[stageId])) {
      problems.push({ file: '--set', message: `--set ${assignment}: no stage "${stageId}" in the recipe` });
      continue;
    }
    const parsed = parseOverrideValue(assignment, text);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    problems.push(...findSecretsInOverride(assignment, ['stages', stageId, 'with', ...param.split('.')], parsed.value));
    stages[stageId].with ??= {};
    setPath(stages[stageId].with, param.split('.'), parsed.value);
  }
}

/** A --set value is YAML (a number stays a number); text that is not, or a value ftpipe refuses, is a usage error. */
function parseOverrideValue(assignment: string, text: string): { value: unknown } | { problem: Problem } {
  const where = { file: '--set', path: assignment.split('=')[0] };
  let value: unknown;
  try {
    value = parseYamlScalar(text, { maxAliasCount: 100 });
  } catch (error) {
    const reason = String((error as Error).message).split('\n')[0];
    return { problem: { ...where, message: `--set ${assignment}: the value is not valid YAML (${reason})`, hint: `quote it to pass it as text, e.g. --set '${where.path}="${text.replace(/"/g, '\\"')}"'` } };
  }
  const bad = unusableValue(value);
  return bad ? { problem: { ...where, message: `--set ${assignment}: ${bad}`, hint: 'give a finite number, or quote the value to pass it as text' } } : { value };
}

function checkReferences(pd: PositionedDocument, stages: Map<string, RecipeStage>, ids: string[], problems: Problem[]): void {
  for (const stage of stages.values()) {
    for (const ref of stage.refs) {
      const target = stages.get(ref.stage);
      if (!ids.includes(ref.stage)) {
        problems.push({ ...locate(pd, ['stages', stage.id, 'with']), message: `stage "${stage.id}" refers to unknown stage "${ref.stage}"`, hint: suggestion(ref.stage, ids) });
      } else if (target && !(ref.output in target.outputs)) {
        const outputs = Object.keys(target.outputs);
        problems.push({ ...locate(pd, ['stages', stage.id, 'with']), message: `stage "${stage.id}" refers to output "${ref.output}" of "${ref.stage}", which has outputs: ${outputs.join(', ')}`, hint: suggestion(ref.output, outputs) });
      }
    }
    for (const need of stage.needs) {
      if (!ids.includes(need)) problems.push({ ...locate(pd, ['stages', stage.id, 'needs']), message: `stage "${stage.id}" needs unknown stage "${need}"`, hint: suggestion(need, ids) });
    }
  }
}

function suggestion(word: string, candidates: string[]): string | undefined {
  const c = closestOf(word, candidates);
  return c ? `did you mean "${c}"?` : undefined;
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file === b.file ? 0 : a.file < b.file ? -1 : 1) || (a.line ?? 1e9) - (b.line ?? 1e9) || (a.column ?? 0) - (b.column ?? 0));
}

function setPath(target: Record<string, any>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = isPlainObject(node[key]) ? node[key] : (node[key] = {});
  node[path[path.length - 1]] = value;
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
