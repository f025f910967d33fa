/**
 * Plans and runs a recipe: stages in dependency order, independent ones in parallel (p-limit), each
 * decided (cached / restore / run) with its reason. Knows nothing about what the stages do.
 */
import pLimit from 'p-limit';
import { FtpipeError } from '../errors.js';
import { checkSelectors, selectStages, topologicalOrder } from '../graph/dag.js';
import { readLock, type LockEntry } from '../lock/lockfile.js';
import type { Provider, ProviderFactory } from '../providers/types.js';
import type { Recipe, RecipeStage } from '../recipe/types.js';
import { stageRefsIn } from '../recipe/expressions.js';
import type { JsonValue } from '../stage/types.js';
import type { OutputRecord } from '../store/run-cache.js';
import { decide, outputsPresent, type Decision } from './decide.js';
import type { RunEvent, StageState } from './events.js';
import { LockWriter } from './lock-writer.js';
import { ownChanges } from './own-changes.js';
import { stageOutputFile } from './output-paths.js';
import { providerKeyIdentity } from './provider-identity.js';
import { resolveParams } from './resolve-params.js';
import { runDecidedStage } from './run-stage.js';
import { stageFailure } from './execute-stage.js';
import { stageKey } from './stage-key.js';
import { checkStoredOutputs } from './stored-outputs.js';
import { openWorkspace, type Workspace } from './workspace.js';

export interface PipelineOptions {
  recipe: Recipe;
  mode: 'run' | 'plan';
  force?: string[] | 'all';
  only?: string[];
  from?: string;
  until?: string;
  jobs?: number;
  emit: (event: RunEvent) => void;
  providerFactory?: ProviderFactory;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Identity of the provider for stage keys (default: from the recipe's provider block). */
  providerIdentity?: (config: Recipe['provider'], workspace: string) => Promise<Record<string, string>>;
  /** Called before a stage that will really run (the CLI's spend guard uses it), with its resolved params and the run's provider. */
  beforeStage?: (stage: RecipeStage, decision: Decision, ws: Workspace, run: BeforeStageContext) => Promise<void>;
}

export interface BeforeStageContext {
  /** The stage's params as it will get them. */
  params: Record<string, unknown>;
  /** The run's provider (started on first call). */
  provider: () => Promise<Provider>;
  /** Outputs of a stage that already finished (ran, cached or restored) in this run; undefined otherwise. */
  finishedOutputs: (stage: string) => Record<string, OutputRecord> | undefined;
}

export interface StagePlan {
  id: string;
  uses: string;
  selected: boolean;
  action: Decision['action'] | 'skip';
  reasons: string[];
  key?: string;
  paid: boolean;
  /** The lock already records this key (true even when the local store lacks the outputs). */
  inLock: boolean;
}

export interface PipelineResult {
  ok: boolean;
  plan: StagePlan[];
  states: Record<string, { state: StageState; durationMs: number; summary?: string; reused?: string; error?: FtpipeError }>;
}

/** Stages with a providerParam the recipe leaves unset get the recipe's provider kind (StageDefinition.providerParam). */
export function withProviderParams(recipe: Recipe): Recipe {
  const stages = new Map<string, RecipeStage>();
  for (const [id, stage] of recipe.stages) {
    const param = stage.def.providerParam;
    stages.set(id, param && stage.with[param] === undefined ? { ...stage, with: { ...stage.with, [param]: recipe.provider.kind } } : stage);
  }
  return { ...recipe, stages };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const recipe = withProviderParams(options.recipe);
  const { emit } = options;
  const edges = new Map([...recipe.stages].map(([id, s]) => [id, s.needs]));
  checkSelectors(edges, recipe.name, options);
  const signal = options.signal ?? new AbortController().signal;
  const ws = openWorkspace(recipe.root, (message) => emit({ type: 'warning', message }));
  const lock = readLock(recipe.root);
  const lockStages: Record<string, LockEntry> = lock.pipelines[recipe.name]?.stages ?? {};
  const order = topologicalOrder(edges);
  const selected = selectStages(edges, options);
  const usesProvider = [...recipe.stages.values()].some((s) => s.def.usesProvider);
  const identity = usesProvider ? await (options.providerIdentity ?? ((c) => providerKeyIdentity(c)))(recipe.provider, recipe.root) : undefined;
  const forced = (id: string) => options.force === 'all' || (options.force ?? []).includes(id);
  const lockWriter = new LockWriter(recipe, lock, ws);
  let provider: Promise<Provider> | undefined;
  const getProvider = () => {
    if (!options.providerFactory) throw new FtpipeError('no provider factory given to the engine (this is a bug)', 'INTERNAL');
    provider ??= options.providerFactory(recipe.provider, { workspace: recipe.root, env: options.env ?? process.env });
    return provider;
  };

  const started = Date.now();
  emit({ type: 'run:start', recipe: recipe.name, stages: order, time: new Date().toISOString() });
  const plan: StagePlan[] = [];
  const states: PipelineResult['states'] = {};
  const outputsOf = new Map<string, Promise<Record<string, OutputRecord> | undefined>>();
  const limit = pLimit(Math.max(1, options.jobs ?? 2));
  let failed = false;

  const settle = (id: string, state: StageState, durationMs: number, extra: { summary?: string; reused?: string; error?: FtpipeError } = {}) => {
    states[id] = { state, durationMs, ...extra };
    emit({ type: 'stage:end', id, state, durationMs, summary: extra.summary, error: extra.error && { message: extra.error.message, code: extra.error.code, hint: extra.error.hint } });
  };

  const decideAndRun = async (id: string): Promise<Record<string, OutputRecord> | undefined> => {
    const stage = recipe.stages.get(id)!;
    const upstream = new Map<string, Record<string, OutputRecord> | undefined>();
    for (const dep of stage.needs) upstream.set(dep, await outputsOf.get(dep)!);
    const entry: StagePlan = { id, uses: stage.uses, selected: selected.has(id), action: 'run', reasons: [], paid: stage.def.paid === true, inLock: false };
    plan.push(entry);
    const missing = stage.needs.filter((dep) => upstream.get(dep) === undefined);
    if (missing.length > 0) {
      // Planning: the stage's own changes too, not only that its upstream reruns.
      const own = options.mode === 'plan' ? await ownChanges(stage, lockStages[id], ws, stage.def.usesProvider ? identity : undefined) : [];
      entry.reasons = options.mode === 'plan' ? [...own, ...missing.map((d) => `upstream ${d} will run first`)] : [`not run: upstream ${missing.join(', ')} did not produce outputs`];
      emit({ type: 'stage:decided', id, action: options.mode === 'plan' ? 'run' : 'skip', reasons: entry.reasons });
      if (options.mode === 'run') settle(id, 'skipped', 0);
      return undefined;
    }
    let decision: Decision;
    try {
      const resolved = await resolveParams(stage, ws, (dep) => upstream.get(dep), (dep, output) => {
        const spec = recipe.stages.get(dep)?.outputs[output];
        return spec?.kind === 'file' ? stageOutputFile(ws.root, recipe.name, dep, output, spec) : undefined;
      });
      const providerIdentity = stage.def.usesProvider ? identity : undefined;
      const key = stageKey({ uses: stage.uses, version: stage.def.version, keyParams: resolved.keyParams, inputs: resolved.inputs, provider: providerIdentity });
      decision = decide({ key, uses: stage.uses, version: stage.def.version, keyParams: resolved.keyParams, inputs: resolved.inputs, provider: providerIdentity }, lockStages[id], ws, forced(id));
      decision = await checkStoredOutputs(decision, stage, ws, { drop: options.mode === 'run' });
      entry.key = key;
      entry.inLock = lockStages[id]?.key === key;
      entry.action = decision.action;
      entry.reasons = decision.reasons;
      if (options.mode === 'plan') {
        emit({ type: 'stage:decided', id, action: decision.action, reasons: decision.reasons });
        if (decision.action !== 'run') return decision.outputs;
        return decision.upToDateInLock && !forced(id) ? lockStages[id].outputs : undefined;
      }
      if (!selected.has(id) && decision.action === 'run') {
        const previous = lockStages[id];
        const usable = previous && outputsPresent(previous.outputs, ws) ? previous.outputs : undefined;
        entry.action = 'skip';
        entry.reasons = [`not selected (would run: ${decision.reasons.join('; ')})`];
        emit({ type: 'stage:decided', id, action: 'skip', reasons: entry.reasons });
        settle(id, 'skipped', 0, { summary: usable ? 'using its last outputs' : 'no outputs available' });
        return usable;
      }
      emit({ type: 'stage:decided', id, action: decision.action, reasons: decision.reasons });
      if (failed || signal.aborted) {
        settle(id, 'skipped', 0, { summary: signal.aborted ? 'not started: interrupted' : 'not run: an earlier stage failed' });
        return undefined;
      }
      if (decision.action === 'run') await options.beforeStage?.(stage, decision, ws, { params: resolved.params, provider: getProvider, finishedOutputs: (dep) => finished.get(dep) });
      const t0 = Date.now();
      const previous = forced(id) ? valuesOf(lockStages[id]?.key === key ? lockStages[id].outputs : ws.runCache.get(key)?.outputs) : undefined;
      // A stage that finds an upstream value unusable (e.g. wait: the job failed) marks its producer's result stale.
      const invalidateInput = async (param: string, reason: string) => {
        for (const producer of new Set(stageRefsIn(stage.with[param]).map((r) => r.stage))) {
          const producerKey = plan.find((p) => p.id === producer)?.key;
          if (!producerKey) continue;
          await ws.invalidations.put(producerKey, { stage: producer, reportedBy: id, reason, at: new Date().toISOString() });
          await ws.runCache.drop(producerKey);
        }
      };
      // Ctrl-C while the stage waited for a free slot (--jobs): it never starts, so it is skipped, not interrupted.
      const run = async (): Promise<{ state: StageState; outputs?: Record<string, OutputRecord>; summary?: string; reused?: string }> =>
        signal.aborted ? { state: 'skipped', summary: 'not started: interrupted' } : runDecidedStage({ stage, recipe: recipe.name, decision, params: resolved.params, keyParams: resolved.keyParams, inputs: resolved.inputs, provider: providerIdentity, ws, emit, signal, getProvider, lockWriter, forced: forced(id) ? { previous } : undefined, invalidateInput });
      const result = decision.action === 'run' ? await limit(run) : await run();
      settle(id, result.state, Date.now() - t0, { summary: result.summary, reused: result.reused });
      return result.outputs;
    } catch (error) {
      failed = true;
      const ftError = stageFailure(id, error);
      if (options.mode === 'plan') throw ftError;
      settle(id, ftError.code === 'INTERRUPTED' ? 'interrupted' : 'failed', 0, { error: ftError });
      return undefined;
    }
  };

  const finished = new Map<string, Record<string, OutputRecord>>();
  for (const id of order) outputsOf.set(id, decideAndRun(id).then((outputs) => (outputs && finished.set(id, outputs), outputs)));
  await Promise.all(outputsOf.values());
  try {
    // Planning (status, plan, --check) only reads: keeping the stat cache is a favour, never a failure (read-only checkouts).
    await (options.mode === 'plan' ? ws.statCache.save().catch(() => undefined) : ws.statCache.save());
    if (options.mode === 'run') await lockWriter.finish(states);
  } finally {
    if (provider) await (await provider.catch(() => undefined))?.close(); // also when the disk is full: a live server would keep the process alive
  }
  const ok = Object.values(states).every((s) => s.state !== 'failed' && s.state !== 'interrupted');
  const counts = { cached: 0, restored: 0, ran: 0, failed: 0, skipped: 0, interrupted: 0 } as Record<StageState, number>;
  for (const s of Object.values(states)) counts[s.state]++;
  const reused = order.flatMap((id) => (states[id]?.reused ? [{ id, what: states[id].reused! }] : []));
  emit({ type: 'run:end', ok, durationMs: Date.now() - started, counts, ...(reused.length ? { reused } : {}) });
  plan.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return { ok, plan, states };
}

function valuesOf(outputs: Record<string, OutputRecord> | undefined): Record<string, JsonValue> | undefined {
  if (!outputs) return undefined;
  return Object.fromEntries(Object.entries(outputs).flatMap(([name, out]) => ('value' in out ? [[name, out.value]] : [])));
}
