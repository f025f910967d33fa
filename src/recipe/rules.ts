/**
 * Recipe rules beyond the schemas: mistakes that would otherwise only fail (or silently do nothing) at
 * run time. Each pushes positioned problems; `lintOnly` rules depend on the files present right now.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Problem } from '../errors.js';
import { locate, type PositionedDocument } from './document.js';
import { expressionsIn, mapStrings } from './expressions.js';
import { allowedParams } from './stage-resolve.js';
import { closest } from './suggest.js';
import type { RecipeStage } from './types.js';

export interface RuleInput {
  pd: PositionedDocument;
  /** The recipe after vars, env and --set. */
  value: Record<string, any>;
  stages: Map<string, RecipeStage>;
  root: string;
  problems: Problem[];
}

export function checkRules(input: RuleInput, options: { lint?: boolean } = {}): void {
  singleBraceExpressions(input);
  unknownDefaults(input);
  valueOutputsAsFiles(input);
  if (options.lint) missingInputFiles(input);
}

/** `${stages.x.outputs.y}` (one brace) is no expression: it would reach the stage as text. Shell's `${HOME:-x}` is left alone. */
function singleBraceExpressions({ pd, problems }: RuleInput): void {
  mapStrings(pd.value, (text, path) => {
    for (const m of text.matchAll(/\$\{(?!\{)\s*((?:stages|vars|env)\.[^}]*?)\s*\}/g)) {
      problems.push({ ...locate(pd, path), message: `${path.join('.')}: "${m[0]}" is not an expression`, hint: `write \${{ ${m[1]} }}` });
    }
    return text;
  });
}

/** Defaults fill only params a stage has: a key no stage of the recipe takes is a typo that does nothing. */
function unknownDefaults({ pd, value, stages, problems }: RuleInput): void {
  const defaults = value.defaults;
  if (!defaults || typeof defaults !== 'object' || Array.isArray(defaults)) return;
  const taken = new Set([...stages.values()].flatMap((s) => [...(allowedParams(s.uses, s.def) ?? [])]));
  for (const key of Object.keys(defaults)) {
    if (taken.has(key)) continue;
    const guess = closest(key, taken);
    problems.push({ ...locate(pd, ['defaults', key], { key: true }), message: `unknown key "${key}" in defaults: no stage of this recipe takes it`, hint: guess ? `did you mean "${guess}"?` : 'defaults are given to stages whose params have that name' });
  }
}

/** An input param takes files; a value output (a file id, a job id) referenced there would be read as a path. */
function valueOutputsAsFiles({ pd, stages, problems }: RuleInput): void {
  for (const stage of stages.values()) {
    for (const param of stage.def.inputs ?? []) {
      eachString(stage.with[param], [param], (text, path) => {
        for (const { expression } of expressionsIn(text)) {
          if (expression.kind !== 'stage') continue;
          const spec = stages.get(expression.ref.stage)?.outputs[expression.ref.output];
          if (spec?.kind !== 'value') continue;
          const ref = `stages.${expression.ref.stage}.outputs.${expression.ref.output}`;
          problems.push({
            ...locate(pd, ['stages', stage.id, 'with', ...path]),
            message: `stage "${stage.id}": ${param} takes a file, but ${ref} is a value${spec.description ? ` (${spec.description})` : ''}, not a file`,
            hint: `give ${param} a workspace path or a file output, e.g. the file that was uploaded (\${{ stages.<id>.outputs.data }})`,
          });
        }
      });
    }
  }
}

/** Workspace paths given to input params must exist, unless a stage of the recipe writes them (exec `outs`). */
function missingInputFiles({ pd, stages, root, problems }: RuleInput): void {
  const written = new Set([...stages.values()].flatMap((s) => Object.values(isRecord(s.with.outs) ? s.with.outs : {}).filter((o) => typeof o === 'string').map((o) => resolve(root, o as string))));
  for (const stage of stages.values()) {
    for (const param of stage.def.inputs ?? []) {
      eachString(stage.with[param], [param], (text, path) => {
        if (expressionsIn(text).length > 0) return;
        const file = resolve(root, text);
        if (existsSync(file) || written.has(file)) return;
        problems.push({ ...locate(pd, ['stages', stage.id, 'with', ...path]), message: `stage "${stage.id}": input ${text} does not exist`, hint: `paths are relative to the workspace root (${root})` });
      });
    }
  }
}

function eachString(value: unknown, path: Array<string | number>, visit: (text: string, path: Array<string | number>) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => typeof v === 'string' && visit(v, [...path, i]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
