/**
 * Runs one stage in a private temp folder and publishes its outputs only when it succeeded: a stage that
 * throws (or a run that is killed) leaves no run record and no lock entry; only a failure marked
 * keepOutputs (a failed eval gate) shows the outputs it wrote, so its report can say why.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FtpipeError, StageError } from '../errors.js';
import type { Provider } from '../providers/types.js';
import type { RecipeStage } from '../recipe/types.js';
import type { StageResult } from '../stage/types.js';
import type { OutputRecord } from '../store/run-cache.js';
import { createStageContext, type ContextInput } from './context.js';
import { abandonWorkspaceOuts, clearWorkspaceOuts } from './workspace-outs.js';
import type { RunEvent } from './events.js';
import type { Workspace } from './workspace.js';
import { diskError } from '../store/disk-errors.js';
import { redactSecretsInFile } from '../secrets/redact-file.js';

export interface ExecuteInput {
  stage: RecipeStage;
  key: string;
  params: Record<string, unknown>;
  ws: Workspace;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  provider: () => Promise<Provider>;
  forced?: ContextInput['forced'];
  invalidateInput?: ContextInput['invalidateInput'];
  /** Shows the outputs of a stage that failed with keepOutputs (never recorded as a result). */
  showFailedOutputs?: (outputs: Record<string, OutputRecord>) => Promise<void>;
  /** The outputs the lock records for this stage (what it produced last), if any. */
  previous?: Record<string, OutputRecord>;
}

export async function executeStage(input: ExecuteInput): Promise<{ outputs: Record<string, OutputRecord>; summary?: string; reused?: string }> {
  const { stage, ws } = input;
  const outDir = join(ws.tmpDir, `${stage.id}-${input.key.slice(0, 12)}-${randomBytes(3).toString('hex')}`);
  await mkdir(outDir, { recursive: true });
  try {
    const ctx = createStageContext({ ...input, id: stage.id, outputs: stage.outputs, outDir });
    let result: StageResult | void;
    await clearWorkspaceOuts(stage, input.previous, ws, input.emit);
    try {
      result = await stage.def.run(ctx);
      input.signal.throwIfAborted();
      return { outputs: await publish(stage, ctx.output.bind(ctx), result ?? {}, ws, input.emit), summary: result?.summary, reused: result?.reused };
    } catch (error) {
      const failure = wrap(stage.id, error, input.signal);
      await abandonWorkspaceOuts(stage, input.previous, ws).catch(() => undefined); // else its marker lets the next run clean up
      if (failure instanceof FtpipeError && failure.keepOutputs && !input.signal.aborted) {
        await input.showFailedOutputs?.(await publish(stage, ctx.output.bind(ctx), {}, ws, input.emit, { filesOnly: true }));
      }
      throw failure;
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function publish(stage: RecipeStage, outputPath: (name: string) => string, result: StageResult, ws: Workspace, emit: (event: RunEvent) => void, options: { filesOnly?: boolean } = {}): Promise<Record<string, OutputRecord>> {
  const outputs: Record<string, OutputRecord> = {};
  for (const [name, spec] of Object.entries(stage.outputs)) {
    if (options.filesOnly && (spec.kind === 'value' || !existsSync(outputPath(name)))) continue;
    if (spec.kind === 'value') {
      const value = result.values?.[name];
      if (value !== undefined) outputs[name] = { value };
      else if (!spec.optional) throw new StageError(stage.id, `stage type ${stage.uses} returned no value for output "${name}" (this is a bug in the stage)`, { code: 'OUTPUT_MISSING' });
      continue;
    }
    const path = outputPath(name);
    if (!existsSync(path)) {
      if (spec.optional) continue;
      throw new StageError(stage.id, `stage type ${stage.uses} did not write its output "${name}" (this is a bug in the stage)`, { code: 'OUTPUT_MISSING' });
    }
    const leaked = await redactSecretsInFile(path);
    if (leaked.length > 0) emit({ type: 'stage:log', id: stage.id, level: 'warn', message: `output "${name}" contained the value of ${leaked.join(', ')}; replaced it by [redacted:…] before storing` });
    const stored = spec.kind === 'dir' ? await ws.objects.putTree(path) : await ws.objects.putFile(path, { move: true });
    if (spec.kind !== 'dir') await ws.statCache.record(ws.objects.pathOf(stored.digest), stored.digest);
    outputs[name] = { ...stored, kind: spec.kind };
  }
  return outputs;
}

/**
 * Whatever stopped a stage as an error that names the stage. An unexpected error thrown by the stage's
 * own code is a stage failure; one thrown by the engine while deciding or recording it is internal.
 */
export function stageFailure(stageId: string, error: unknown, thrownBy: 'stage' | 'engine' = 'engine'): FtpipeError {
  if (error instanceof FtpipeError) {
    if (error.stage) return error;
    return new StageError(stageId, error.message, { code: error.code, hint: error.hint, cause: error, exitCode: error.exitCode, location: error.location, keepOutputs: error.keepOutputs });
  }
  const disk = diskError(error, { stage: stageId });
  if (disk) return disk;
  const message = error instanceof Error ? error.message : String(error);
  return thrownBy === 'stage' ? new StageError(stageId, message, { code: 'STAGE_FAILED', cause: error }) : new FtpipeError(message, 'INTERNAL', { cause: error, stage: stageId });
}

function wrap(stageId: string, error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return new FtpipeError(`stage "${stageId}" was interrupted`, 'INTERRUPTED', { stage: stageId, exitCode: 130, cause: error });
  return stageFailure(stageId, error, 'stage');
}
