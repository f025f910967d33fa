/**
 * From a stage as written to what it runs with: stage references replaced (values inline, files by their
 * store path), repository paths made absolute, and every file it reads recorded with its digest.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { StageError } from '../errors.js';
import { expressionsIn, mapStrings, substitute } from '../recipe/expressions.js';
import type { RecipeStage } from '../recipe/types.js';
import type { InputRecord, OutputRecord } from '../store/run-cache.js';
import type { Workspace } from './workspace.js';

/** The `param` of the inputs that hold a local stage module's code. */
export const CODE_INPUT = '(code)';

export interface ResolvedParams {
  /** What the stage gets in ctx.params. */
  params: Record<string, unknown>;
  /** What goes into the key and the lock: volatile params dropped, file references left as written. */
  keyParams: Record<string, unknown>;
  inputs: InputRecord[];
  /** With `pending`: workspace paths of inputs that do not exist (yet); an upstream stage may write them. */
  unavailable: string[];
}

export interface ResolveOptions {
  /** Upstream stages have not run yet (plan, status): leave their references unresolved instead of failing. */
  pending?: boolean;
}

export type UpstreamOutputs = (stage: string) => Record<string, OutputRecord> | undefined;

/** Where a file output of `stage` is shown to people (.ftpipe/out/<recipe>/<stage>/<output><ext>), if known. */
export type OutputDisplayPath = (stage: string, output: string) => string | undefined;

export async function resolveParams(stage: RecipeStage, ws: Workspace, upstream: UpstreamOutputs, displayPath: OutputDisplayPath = () => undefined, options: ResolveOptions = {}): Promise<ResolvedParams> {
  const inputs: InputRecord[] = [];
  const unavailable: string[] | undefined = options.pending ? [] : undefined;
  const volatile = new Set(stage.def.volatileParams ?? []);
  const inputParams = new Set(stage.def.inputs ?? []);
  const params: Record<string, unknown> = {};
  const keyParams: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(stage.with)) {
    const valueOnly = mapStrings(raw, (text) => substitute(text, (e) => (e.kind === 'stage' ? valueOutput(stage, upstream, e.ref.stage, e.ref.output, options.pending) : undefined)));
    const resolved = mapStrings(valueOnly, (text) =>
      substitute(text, (e) => {
        if (e.kind !== 'stage') return undefined;
        const out = upstream(e.ref.stage)?.[e.ref.output];
        if (!out || 'value' in out) return undefined;
        inputs.push({ param: name, stage: e.ref.stage, output: e.ref.output, digest: out.digest, size: out.size });
        return readablePath(ws.objects.pathOf(out.digest, out.kind), displayPath(e.ref.stage, e.ref.output));
      }),
    );
    params[name] = inputParams.has(name) ? await resolvePaths(stage, name, resolved, ws, inputs, unavailable) : resolved;
    if (!volatile.has(name)) keyParams[name] = valueOnly;
  }
  for (const path of stage.def.implicitInputs?.(params, ws.root) ?? []) {
    const absolute = isAbsolute(path) ? path : resolve(ws.root, path);
    if (existsSync(absolute)) inputs.push({ param: '(implicit)', ...(await workspaceFile(ws, absolute)) });
  }
  // A local module's code (and the workspace files it imports) is part of the key: editing it reruns the stage.
  for (const file of stage.codeFiles ?? []) if (existsSync(file)) inputs.push({ param: CODE_INPUT, ...(await workspaceFile(ws, file)) });
  return { params, keyParams, inputs, unavailable: unavailable ?? [] };
}

/**
 * Stages read upstream files through their .ftpipe/out/ link when it is the very same object (same inode),
 * so reports and messages name ".ftpipe/out/<recipe>/clean/data.jsonl" rather than a hash; otherwise the object itself.
 */
function readablePath(objectPath: string, shown: string | undefined): string {
  if (!shown) return objectPath;
  try {
    const [a, b] = [statSync(objectPath), statSync(shown)];
    return a.ino === b.ino && a.dev === b.dev ? shown : objectPath;
  } catch {
    return objectPath;
  }
}

function valueOutput(stage: RecipeStage, upstream: UpstreamOutputs, from: string, output: string, pending = false): unknown {
  const out = upstream(from)?.[output];
  if (out === undefined && pending) return undefined;
  if (out === undefined) throw new StageError(stage.id, `stages.${from}.outputs.${output} is not available`, { code: 'UPSTREAM_MISSING', hint: `run stage "${from}" first`, exitCode: 1 });
  return 'value' in out ? out.value : undefined;
}

async function resolvePaths(stage: RecipeStage, param: string, value: unknown, ws: Workspace, inputs: InputRecord[], unavailable?: string[]): Promise<unknown> {
  if (typeof value === 'string') return resolvePath(stage, param, value, ws, inputs, unavailable);
  if (Array.isArray(value)) {
    // Hashed in parallel, recorded in the order written (reasons and run records read in recipe order).
    const each = value.map(() => [] as InputRecord[]);
    const paths = await Promise.all(value.map((v, i) => (typeof v === 'string' ? resolvePath(stage, param, v, ws, each[i], unavailable) : v)));
    inputs.push(...each.flat());
    return paths;
  }
  return value;
}

async function resolvePath(stage: RecipeStage, param: string, path: string, ws: Workspace, inputs: InputRecord[], unavailable?: string[]): Promise<string> {
  if (path.startsWith(ws.objects.root) || path.startsWith(ws.outDir)) return path; // an upstream artifact (from a reference)
  if (expressionsIn(path).length > 0) return path;
  const absolute = isAbsolute(path) ? path : resolve(ws.root, path);
  if (!existsSync(absolute) && unavailable) {
    unavailable.push(relative(ws.root, absolute).split('\\').join('/'));
    return absolute;
  }
  if (!existsSync(absolute)) {
    throw new StageError(stage.id, `input ${param}: ${path} does not exist`, { code: 'INPUT_MISSING', hint: `paths are relative to the workspace root ${ws.root}`, exitCode: 1 });
  }
  inputs.push({ param, ...(await workspaceFile(ws, absolute)) });
  return absolute;
}

async function workspaceFile(ws: Workspace, absolute: string): Promise<{ path: string; digest: InputRecord['digest']; size: number }> {
  const { digest, size } = await ws.statCache.digest(absolute);
  return { path: relative(ws.root, absolute).split('\\').join('/') || '.', digest, size };
}
