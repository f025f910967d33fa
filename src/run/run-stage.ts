/** Carries out a decision: run the stage, or restore its outputs; then record it in the run-cache and lock. */
import type { Provider } from '../providers/types.js';
import type { RecipeStage } from '../recipe/types.js';
import type { InputRecord, OutputRecord } from '../store/run-cache.js';
import type { Decision } from './decide.js';
import type { RunEvent, StageState } from './events.js';
import { executeStage, type ExecuteInput } from './execute-stage.js';
import type { LockWriter } from './lock-writer.js';
import { stageOutputFile } from './output-paths.js';
import type { Workspace } from './workspace.js';
import { showWorkspaceOuts } from './workspace-outs.js';

export interface DecidedStage {
  stage: RecipeStage;
  /** The recipe's name (its ftpipe.lock section): outputs are shown under .ftpipe/out/<recipe>/. */
  recipe: string;
  decision: Decision;
  params: Record<string, unknown>;
  keyParams: Record<string, unknown>;
  inputs: InputRecord[];
  provider?: Record<string, unknown>;
  ws: Workspace;
  emit: (event: RunEvent) => void;
  signal: AbortSignal;
  getProvider: () => Promise<Provider>;
  lockWriter: LockWriter;
  forced?: ExecuteInput['forced'];
  invalidateInput?: ExecuteInput['invalidateInput'];
}

export async function runDecidedStage(input: DecidedStage): Promise<{ state: StageState; outputs: Record<string, OutputRecord>; summary?: string; reused?: string }> {
  const { stage, decision, ws } = input;
  const key = decision.key!;
  let outputs: Record<string, OutputRecord>;
  let summary: string | undefined;
  let reused: string | undefined;
  let state: StageState;
  if (decision.action === 'run') {
    input.emit({ type: 'stage:start', id: stage.id });
    const showFailedOutputs = (failed: Record<string, OutputRecord>) => materialize(stage, input.recipe, failed, ws);
    const result = await executeStage({ stage, key, params: input.params, ws, signal: input.signal, emit: input.emit, provider: input.getProvider, forced: input.forced, invalidateInput: input.invalidateInput, showFailedOutputs, previous: input.lockWriter.entry(stage.id)?.outputs });
    outputs = result.outputs;
    summary = result.summary;
    reused = result.reused;
    state = 'ran';
    await ws.runCache.put({ key, uses: stage.uses, version: stage.def.version, params: input.keyParams, inputs: input.inputs, outputs, provider: input.provider, createdAt: new Date().toISOString() });
    await ws.invalidations.clear(key);
  } else {
    outputs = decision.outputs;
    state = decision.action === 'cached' ? 'cached' : 'restored';
  }
  await materialize(stage, input.recipe, outputs, ws);
  await showWorkspaceOuts(stage, outputs, ws, { restoring: decision.action !== 'run', emit: input.emit });
  await input.lockWriter.update(stage.id, { uses: stage.uses, version: stage.def.version, key, params: input.keyParams, inputs: input.inputs, outputs, provider: input.provider });
  return { state, outputs, summary, reused };
}

/** .ftpipe/out/<recipe>/<stage>/<output><ext>: the latest outputs, for people and tools. */
async function materialize(stage: RecipeStage, recipe: string, outputs: Record<string, OutputRecord>, ws: Workspace): Promise<void> {
  for (const [name, out] of Object.entries(outputs)) {
    if ('value' in out) continue;
    await ws.objects.materialize(out.digest, out.kind ?? 'file', stageOutputFile(ws.root, recipe, stage.id, name, stage.outputs[name]));
  }
}
