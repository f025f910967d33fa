/**
 * A stage decided cached or restored uses stored objects as they are: check each against its recorded
 * size and digest first (cheap through the stat cache). A corrupt one is dropped with a warning (in a
 * run) and the stage runs again instead of handing the damage downstream. Outs the stage keeps in the
 * workspace (exec's) that are missing or were modified make it "restore".
 */
import type { RecipeStage } from '../recipe/types.js';
import type { Decision } from './decide.js';
import { workspaceOutChanges } from './workspace-outs.js';
import type { Workspace } from './workspace.js';

export async function checkStoredOutputs(decision: Decision, stage: RecipeStage, ws: Workspace, options: { drop: boolean }): Promise<Decision> {
  if (decision.action === 'run') return decision;
  const corrupt: string[] = [];
  for (const [name, out] of Object.entries(decision.outputs)) {
    if ('value' in out) continue;
    if (!(await ws.objects.verify(out, ws.statCache, options))) corrupt.push(name);
  }
  if (corrupt.length > 0) return { action: 'run', key: decision.key, reasons: [`its stored output ${corrupt.join(', ')} is corrupt`] };
  const changed = await workspaceOutChanges(stage, decision.outputs, ws);
  if (changed.length === 0) return decision;
  return { action: 'restore', key: decision.key, outputs: decision.outputs, reasons: decision.action === 'cached' ? changed : [...decision.reasons, ...changed] };
}
