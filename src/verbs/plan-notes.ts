/**
 * The spend-aware part of a plan: for each paid stage that would run, its billed tokens and cost
 * (validate's report × n_epochs × the dated price table), and deprecation warnings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { upstreamOf } from '../graph/dag.js';
import { readLock } from '../lock/lockfile.js';
import type { Recipe, RecipeStage } from '../recipe/types.js';
import type { StagePlan } from '../run/pipeline.js';
import { openWorkspace } from '../run/workspace.js';
import { catalogAsOf, modelFacts, openaiFineTuningEndDate } from '../models/catalog.js';

export interface SpendLine {
  stage: string;
  model: string;
  billedTokens?: number;
  costUsd?: number;
  text: string;
}

export async function planNotes(recipe: Recipe, plan: StagePlan[], today = new Date().toISOString().slice(0, 10)): Promise<{ spend: SpendLine[]; warnings: string[] }> {
  const spend: SpendLine[] = [];
  const warnings: string[] = [];
  for (const entry of plan) {
    const stage = recipe.stages.get(entry.id)!;
    if (!stage.def.paid) continue;
    const model = typeof stage.with.model === 'string' ? stage.with.model : undefined;
    if (model) warnings.push(...deprecations(recipe.provider.kind, model, today));
    if (entry.action !== 'run') continue;
    spend.push(estimateStage(recipe, stage, model));
  }
  return { spend, warnings: [...new Set(warnings)] };
}

export function estimateStage(recipe: Recipe, stage: RecipeStage, model: string | undefined): SpendLine {
  const report = validateReportFor(recipe, stage);
  const name = model ?? '(model unset)';
  if (!report?.billing) return { stage: stage.id, model: name, text: `${name}: cost unknown until a validate stage upstream has run` };
  const epochs = typeof stage.with.n_epochs === 'number' ? stage.with.n_epochs : (report.epochs?.n_epochs ?? 3);
  const billedTokens = report.billing.tokens_per_epoch * epochs;
  const price = recipe.provider.kind === 'local' ? 0 : modelFacts(name)?.trainingPricePerMTok;
  if (price === undefined) return { stage: stage.id, model: name, billedTokens, text: `${name}: ${billedTokens.toLocaleString('en-US')} billed tokens; no price known for this model` };
  const costUsd = (billedTokens / 1e6) * price;
  return { stage: stage.id, model: name, billedTokens, costUsd, text: `${name}: ${billedTokens.toLocaleString('en-US')} billed tokens (${epochs} epochs) ≈ $${costUsd.toFixed(2)} (${recipe.provider.kind}, prices as of ${catalogAsOf})` };
}

export function deprecations(providerKind: string, model: string, today: string): string[] {
  const warnings: string[] = [];
  const shutdown = modelFacts(model)?.shutdownDate;
  if (shutdown && providerKind !== 'local') warnings.push(`${model} is retired on ${shutdown}${shutdown <= today ? ' (already past)' : ''}; plan a move to a newer base model`);
  if (providerKind === 'openai' && today >= openaiFineTuningEndDate) warnings.push(`OpenAI stopped creating self-serve fine-tuning jobs on ${openaiFineTuningEndDate}; use provider azure, openai-compatible or local`);
  else if (providerKind === 'openai') warnings.push(`OpenAI stops creating self-serve fine-tuning jobs on ${openaiFineTuningEndDate}`);
  return warnings;
}

/** The report of the nearest validate stage upstream of `stage` (else any), from the lock's outputs. */
function validateReportFor(recipe: Recipe, stage: RecipeStage): { billing?: { tokens_per_epoch: number }; epochs?: { n_epochs: number } } | undefined {
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
