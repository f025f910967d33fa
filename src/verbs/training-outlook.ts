/**
 * `ftpipe plan` for self-hosted kinds (a free adapter that can describe its training, Adapter.describeTraining):
 * each train line says $0 with its tokens, the device and a time estimate (the device and time in plan only).
 * Other free kinds (local) list nothing.
 */
import { loadAdapter } from '../providers/registry.js';
import type { Recipe } from '../recipe/types.js';
import type { SpendLine } from './plan-notes.js';

export type PlannedSpendLine = SpendLine & { device?: string; estimatedSeconds?: number; estimateBasis?: string };

export async function addTrainingOutlook(recipe: Recipe, spend: SpendLine[], options: { env?: NodeJS.ProcessEnv; askProvider?: boolean } = {}): Promise<PlannedSpendLine[]> {
  const adapter = await loadAdapter(recipe.provider.kind);
  if (!adapter || adapter.pricing !== 'free' || !adapter.describeTraining) return [];
  const lines: PlannedSpendLine[] = [];
  for (const line of spend) {
    if (line.inference) {
      lines.push({ ...line, text: `${recipe.stages.get(line.stage)?.uses ?? 'inference'}: runs on ${recipe.provider.kind} (self-hosted, $0)` });
      continue;
    }
    const tokens = line.billedTokens;
    // `plan` asks the machine (a few seconds: it imports torch); `status` stays instant.
    const outlook = options.askProvider && adapter.describeTraining ? await adapter.describeTraining(recipe.provider, { workspace: recipe.root, env: options.env ?? process.env, tokens, model: line.model, signal: AbortSignal.timeout(120_000) }) : {};
    const parts = [`${line.model}: ${tokens === undefined ? 'tokens unknown until a validate stage upstream has run' : `≈ ${tokens.toLocaleString('en-US')} tokens (counted with the OpenAI tokenizer)`}, $0 on ${recipe.provider.kind} (self-hosted)`];
    if (outlook.device) parts.push(`device ${outlook.device}`);
    if (outlook.estimatedSeconds !== undefined) parts.push(`≈ ${duration(outlook.estimatedSeconds)} (${outlook.basis})`);
    lines.push({ ...line, costUsd: 0, text: parts.join(' · '), device: outlook.device, estimatedSeconds: outlook.estimatedSeconds, estimateBasis: outlook.basis });
  }
  return lines;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
