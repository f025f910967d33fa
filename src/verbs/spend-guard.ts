/**
 * Spend awareness for `ftpipe run`. At the start, every paid action of the stages that would run is
 * listed with its estimate, and `--max-cost USD` refuses the run when the known estimates add up to
 * more. Right before each stage runs (when the files it depends on exist), the guard checks again:
 * a training file below the provider's known minimum of examples stops the run before anything is
 * uploaded; with --max-cost, an action of unknown cost is refused, and the running total (training
 * jobs, sweep cells, deployments — a per-minute endpoint counts its first hour) may not pass the limit.
 * A provider that prices a job itself is asked right before train, once the file is uploaded.
 * Per-request inference is listed, not guarded.
 * Messages name the stage they are about: the guard may stop one stage for another's sake (an upload for its train).
 */
import { ExitCode, FtpipeError } from '../errors.js';
import { downstreamOf } from '../graph/dag.js';
import { loadAdapter } from '../providers/registry.js';
import type { Recipe, RecipeStage } from '../recipe/types.js';
import type { Decision } from '../run/decide.js';
import type { BeforeStageContext } from '../run/pipeline.js';
import type { Workspace } from '../run/workspace.js';
import { planRecipe } from './check.js';
import { planSpendContext, providerProbe } from './plan-notes.js';
import { spendLines, spends, type SpendContext, type SpendLine } from './spend-lines.js';

/** Before anything runs: the paid actions that would run, with their estimates. Throws above --max-cost. */
export async function spendPreflight(recipe: Recipe, options: { maxCost?: number; only?: string[]; from?: string; until?: string; force?: string[] | boolean }): Promise<SpendLine[]> {
  checkMaxCost(options.maxCost);
  if (![...recipe.stages.values()].some(spends)) return [];
  const plan = await planRecipe(recipe, options);
  const probe = providerProbe(recipe);
  try {
    const ctx = await planSpendContext(recipe, plan, probe.get);
    const lines: SpendLine[] = [];
    for (const entry of plan) {
      const stage = recipe.stages.get(entry.id)!;
      if (entry.action === 'run' && entry.selected && spends(stage)) lines.push(...(await spendLines(ctx, stage)));
    }
    for (const line of lines) refuseUnpayable(line);
    if (options.maxCost !== undefined) {
      // Unknown now and unknown later (no price for it): refused before anything runs. Pending data waits for the guard.
      for (const line of lines) if (line.costUsd === null) refuseUnknown(line);
      refuseAbove(lines, 0, options.maxCost, lines[0]?.stage);
    }
    return lines.filter((line) => !line.free);
  } finally {
    await probe.close();
  }
}

/** Right before a stage runs (the engine's beforeStage hook). */
export function spendGuard(recipe: Recipe, maxCost: number | undefined) {
  checkMaxCost(maxCost);
  const edges = new Map([...recipe.stages].map(([id, s]) => [id, s.needs]));
  const trainers = [...recipe.stages.values()].filter((s) => s.def.paidActions?.(s.with).some((a) => a.kind === 'training'));
  let committed = 0;
  return async (stage: RecipeStage, _decision: Decision, ws: Workspace, run: BeforeStageContext): Promise<void> => {
    const ctx: SpendContext = { recipe, ws, outputs: run.finishedOutputs, adapter: await loadAdapter(recipe.provider.kind), provider: () => run.provider(), signal: undefined };
    // Training data below the provider's minimum: stop before the upload of it, not after the provider refuses the job.
    const downstream = downstreamOf(edges, stage.id);
    for (const trainer of trainers) {
      if (!downstream.has(trainer.id)) continue; // the stage's own training is checked with its cost below
      for (const line of await spendLines(ctx, trainer, { trainingOnly: true })) refuseUnpayable(line);
    }
    if (!spends(stage)) return;
    const lines = await spendLines(ctx, stage);
    for (const line of lines) refuseUnpayable(line);
    if (maxCost === undefined) return;
    for (const line of lines) if (!line.inference && typeof line.costUsd !== 'number') refuseUnknown(line);
    committed = refuseAbove(lines, committed, maxCost, stage.id);
  };
}

/** --max-cost is an amount of US dollars, 0 or more. */
function checkMaxCost(maxCost: number | undefined): void {
  if (maxCost === undefined || (Number.isFinite(maxCost) && maxCost >= 0)) return;
  throw new FtpipeError('--max-cost must be an amount in US dollars, 0 or more', 'USAGE', { hint: 'e.g. --max-cost 5 (refuses paid work estimated above $5)', exitCode: ExitCode.usage });
}

function refuseUnpayable(line: SpendLine): void {
  if (line.belowMinimum) {
    const { examples, minimum } = line.belowMinimum;
    throw new FtpipeError(`stage "${line.stage}": the training file has ${examples} example(s); the provider needs at least ${minimum}`, 'TOO_FEW_EXAMPLES', {
      hint: `add examples (or lower the validation share of the split); set allow_few_examples: true on stage ${line.stage} to try anyway`,
      exitCode: ExitCode.usage,
    });
  }
  if (line.refused) {
    throw new FtpipeError(`stage "${line.stage}": the provider would not accept this job: ${line.refused}`, 'PROVIDER_REFUSED_ESTIMATE', { exitCode: ExitCode.usage });
  }
}

function refuseUnknown(line: SpendLine): never {
  throw new FtpipeError(`stage "${line.stage}": cannot estimate what it pays for (${line.text}), and --max-cost is set`, 'MAX_COST_UNKNOWN', {
    hint: line.action === 'deployment' ? 'on Azure set provider.deployment_hourly_usd to the hosting price; elsewhere check the provider\'s serving price; or drop --max-cost' : 'use a provider and model with a known price, or drop --max-cost',
    exitCode: ExitCode.usage,
  });
}

/** Adds the known costs of `lines` to what the run has already committed; throws past the limit. */
function refuseAbove(lines: SpendLine[], committed: number, maxCost: number, stage: string | undefined): number {
  const priced = lines.filter((l): l is SpendLine & { costUsd: number } => typeof l.costUsd === 'number' && !l.inference);
  const total = committed + priced.reduce((sum, l) => sum + l.costUsd, 0);
  if (total <= maxCost) return total;
  const first = priced.find((l) => l.costUsd > 0) ?? priced[0];
  const where = priced.length === 1 && committed === 0 ? `(${first.text})` : `in all (${priced.map((l) => `${l.stage}${l.label ? ` [${l.label}]` : ''} $${l.costUsd.toFixed(2)}`).join(', ')}${committed ? `, after $${committed.toFixed(2)} already started` : ''})`;
  throw new FtpipeError(`stage "${first?.stage ?? stage}": would cost about $${total.toFixed(2)} ${where}, above --max-cost ${maxCost}`, 'MAX_COST_EXCEEDED', {
    hint: 'reduce the data, n_epochs or the sweep matrix, or raise --max-cost',
    exitCode: ExitCode.usage,
  });
}
