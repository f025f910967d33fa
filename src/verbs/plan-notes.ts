/**
 * The spend-aware part of a plan: for each paid stage that would run, its billed tokens and cost
 * (validate's report × n_epochs × the dated price table), and deprecation warnings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { upstreamOf } from '../graph/dag.js';
import { readLock } from '../lock/lockfile.js';
import type { ModelInfo, ProviderConfig, ProviderIdentity } from '../providers/types.js';
import type { Recipe, RecipeStage } from '../recipe/types.js';
import { deprecationWarnings } from '../remote/deprecation.js';
import { estimateSpend } from '../remote/spend.js';
import type { StagePlan } from '../run/pipeline.js';
import { openWorkspace } from '../run/workspace.js';

export interface SpendLine {
  stage: string;
  model: string;
  billedTokens?: number;
  costUsd?: number | null;
  text: string;
  /** Inference stages (eval, infer, sweep, oaieval): listed, not priced, not guarded by --max-cost. */
  inference?: boolean;
}

export async function planNotes(recipe: Recipe, plan: StagePlan[], options: { today?: string; providerModels?: ModelInfo[] } = {}): Promise<{ spend: SpendLine[]; warnings: string[] }> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const spend: SpendLine[] = [];
  const warnings: string[] = [];
  for (const entry of plan) {
    const stage = recipe.stages.get(entry.id)!;
    if (!stage.def.paid) continue;
    const model = typeof stage.with.model === 'string' ? stage.with.model : undefined;
    warnings.push(...deprecationWarnings({ identity: identityOf(recipe.provider), model, today, providerModels: options.providerModels }));
    if (entry.action === 'run') spend.push(estimateStage(recipe, stage, model));
  }
  return { spend, warnings: [...new Set(warnings)] };
}

export function estimateStage(recipe: Recipe, stage: RecipeStage, model: string | undefined): SpendLine {
  if (stage.uses !== 'train') {
    return { stage: stage.id, model: model ?? '', text: `${stage.uses}: pays per request on ${recipe.provider.kind}; inference is not priced by the table (training only)`, inference: true };
  }
  const report = validateReportFor(recipe, stage);
  const name = model ?? '(model unset)';
  if (!report?.billing) return { stage: stage.id, model: name, text: `${name}: cost unknown until a validate stage upstream has run` };
  const estimate = estimateSpend({ params: { n_epochs: stage.with.n_epochs as number | 'auto' | undefined, model }, billing: { ...report.billing, n_epochs: undefined }, identity: identityOf(recipe.provider), model });
  const tokens = `${estimate.billedTokens.toLocaleString('en-US')} billed tokens (${estimate.epochs} epochs)`;
  if (estimate.costUsd === null) return { stage: stage.id, model: name, billedTokens: estimate.billedTokens, costUsd: null, text: `${name}: ${tokens}; no price known for this model on ${recipe.provider.kind}` };
  return { stage: stage.id, model: name, billedTokens: estimate.billedTokens, costUsd: estimate.costUsd, text: `${name}: ${tokens} ≈ $${estimate.costUsd.toFixed(2)} on ${recipe.provider.kind} (prices as of ${estimate.priceAsOf})` };
}

export function identityOf(config: ProviderConfig): ProviderIdentity {
  return { kind: config.kind, baseUrl: config.base_url, organization: config.organization, project: config.project, apiVersion: config.api_version };
}

/** The report of the nearest validate stage upstream of `stage` (else any), from the lock's outputs. */
function validateReportFor(recipe: Recipe, stage: RecipeStage): { billing?: { tokens_per_epoch: number; billed_tokens?: number; examples?: number } } | undefined {
  const edges = new Map([...recipe.stages].map(([id, s]) => [id, s.needs]));
  const upstream = upstreamOf(edges, stage.id);
  const candidates = [...recipe.stages.values()].filter((s) => s.uses === 'validate').sort((a, b) => Number(upstream.has(b.id)) - Number(upstream.has(a.id)));
  const lock = readLock(recipe.root).pipelines[recipe.name]?.stages ?? {};
  const ws = openWorkspace(recipe.root, () => {});
  for (const candidate of candidates) {
    const out = lock[candidate.id]?.outputs?.report;
    if (!out || 'value' in out) continue;
    const file = ws.objects.pathOf(out.digest);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  }
  return undefined;
}
