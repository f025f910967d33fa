/**
 * A stage decided cached or restored uses stored objects as they are: check each against its recorded
 * size and digest first (cheap through the stat cache). A corrupt one is dropped with a warning (in a
 * run) and the stage runs again instead of handing the damage downstream.
 */
import type { Decision } from './decide.js';
import type { Workspace } from './workspace.js';

export async function checkStoredOutputs(decision: Decision, ws: Workspace, options: { drop: boolean }): Promise<Decision> {
  if (decision.action === 'run') return decision;
  const corrupt: string[] = [];
  for (const [name, out] of Object.entries(decision.outputs)) {
    if ('value' in out) continue;
    if (!(await ws.objects.verify(out, ws.statCache, options))) corrupt.push(name);
  }
  if (corrupt.length === 0) return decision;
  return { action: 'run', key: decision.key, reasons: [`its stored output ${corrupt.join(', ')} is corrupt`] };
}
