/**
 * A stage's paid actions (StageDefinition.paidActions) with their params resolved as far as what has
 * run allows: a model id from an upstream value, and the training data behind a file id — the file the
 * upload stage sends (its `file_id` output stands for its `input`), not the data before the split.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { expressionsIn } from '../recipe/expressions.js';
import type { Recipe, RecipeStage } from '../recipe/types.js';
import type { PaidAction, JsonValue } from '../stage/types.js';
import type { OutputRecord } from '../store/run-cache.js';
import type { Digest } from '../store/digest.js';
import type { Workspace } from '../run/workspace.js';

/** The outputs of a stage whose result is settled (ran or cached), else undefined: it has yet to run. */
export type SettledOutputs = (stage: string) => Record<string, OutputRecord> | undefined;

export type Resolved<T> = { value: T } | { pending: string } | { unknown: true };

export interface TrainingFile {
  path: string;
  digest: Digest;
}

export interface Resolver {
  recipe: Recipe;
  ws: Workspace;
  outputs: SettledOutputs;
}

export function paidActionsOf(stage: RecipeStage): PaidAction[] {
  return stage.def.paidActions?.(stage.with) ?? [];
}

/** A param value: itself, or the value output it references. */
export function valueOf(r: Resolver, raw: unknown): Resolved<JsonValue> {
  const ref = referenceIn(raw);
  if (!ref) return raw === undefined || (typeof raw === 'string' && expressionsIn(raw).length > 0) ? { unknown: true } : { value: raw as JsonValue };
  const out = r.outputs(ref.stage)?.[ref.output];
  if (!out) return { pending: ref.stage };
  return 'value' in out ? { value: out.value } : { unknown: true };
}

/** The local file behind a param: a path, a file output, or the file a value output stands for (upload's file_id). */
export async function fileBehind(r: Resolver, raw: unknown, depth = 0): Promise<Resolved<TrainingFile>> {
  const ref = referenceIn(raw);
  if (!ref) {
    if (typeof raw !== 'string' || raw === '' || expressionsIn(raw).length > 0) return { unknown: true };
    const path = isAbsolute(raw) ? raw : resolve(r.recipe.root, raw);
    if (!existsSync(path)) return { unknown: true };
    const { digest, kind } = await r.ws.statCache.digest(path);
    return kind === 'file' ? { value: { path, digest } } : { unknown: true };
  }
  const producer = r.recipe.stages.get(ref.stage);
  const spec = producer?.outputs[ref.output];
  if (!producer || !spec || depth > 8) return { unknown: true };
  if (spec.kind === 'value') return spec.standsFor ? fileBehind(r, producer.with[spec.standsFor], depth + 1) : { unknown: true };
  const out = r.outputs(ref.stage)?.[ref.output];
  if (!out) return { pending: ref.stage };
  if ('value' in out || out.kind === 'dir' || !r.ws.objects.has(out.digest)) return { unknown: true };
  return { value: { path: r.ws.objects.pathOf(out.digest), digest: out.digest } };
}

function referenceIn(raw: unknown): { stage: string; output: string } | undefined {
  if (typeof raw !== 'string') return undefined;
  const found = expressionsIn(raw);
  if (found.length !== 1 || found[0].match !== raw.trim() || found[0].expression.kind !== 'stage') return undefined;
  return found[0].expression.ref;
}
