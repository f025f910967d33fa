/**
 * What changed in a stage itself while its upstream stages have yet to run (plan, status): type, version,
 * code, the params and workspace inputs that do not come from another stage, provider. Params holding a
 * stage reference and referenced outputs are known only once upstream ran, so they are left out.
 */
import type { LockEntry } from '../lock/lockfile.js';
import { stageRefsIn } from '../recipe/expressions.js';
import type { RecipeStage } from '../recipe/types.js';
import { differences } from './decide.js';
import { resolveParams } from './resolve-params.js';
import type { Workspace } from './workspace.js';

export async function ownChanges(stage: RecipeStage, lock: LockEntry | undefined, ws: Workspace, provider: Record<string, unknown> | undefined): Promise<string[]> {
  if (!lock) return ['not in ftpipe.lock yet'];
  const resolved = await resolveParams(stage, ws, () => undefined, undefined, { pending: true });
  const waiting = new Set(Object.keys(stage.with).filter((name) => stageRefsIn(stage.with[name]).length > 0));
  const known = (params: Record<string, unknown>) => Object.fromEntries(Object.entries(params).filter(([name]) => !waiting.has(name)));
  const unavailable = new Set(resolved.unavailable);
  const candidate = { key: '', uses: stage.uses, version: stage.def.version, keyParams: known(resolved.keyParams), inputs: resolved.inputs.filter((i) => 'path' in i), provider };
  const before = { ...lock, params: known(lock.params ?? {}), inputs: lock.inputs.filter((i) => 'path' in i && !unavailable.has(i.path)) };
  return differences(candidate, before);
}
