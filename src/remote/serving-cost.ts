/**
 * What serving a recipe's fine-tunes costs where the provider bills serving by time (Together dedicated
 * endpoints, Fireworks on-demand deployments), for `plan`: one line per trained base model, when a stage
 * that asks models (infer, eval, sweep, oaieval) would run. The price is per minute while the endpoint or
 * deployment runs, so it is listed, never summed into --max-cost; teardown: true stops it.
 */
import type { Provider, ProviderConfig } from '../providers/types.js';
import type { Recipe } from '../recipe/types.js';
import type { StagePlan } from '../run/pipeline.js';

export interface ServingLine {
  /** The stages that will call the deployed fine-tune. */
  stages: string[];
  /** The base model whose fine-tune is served. */
  model: string;
  usdPerMinute: number | null;
  text: string;
}

const askingStages = new Set(['infer', 'eval', 'sweep', 'oaieval']);

export async function servingCostLines(recipe: Recipe, plan: StagePlan[], open: (config: ProviderConfig) => Promise<Provider>, options: { signal?: AbortSignal } = {}): Promise<ServingLine[]> {
  const asking = plan.filter((p) => p.action === 'run' && askingStages.has(p.uses)).map((p) => p.id);
  const bases = [...new Set([...recipe.stages.values()].filter((s) => s.uses === 'train').map((s) => s.with.model).filter((m): m is string => typeof m === 'string' && !m.includes('${{')))];
  if (asking.length === 0 || bases.length === 0) return [];
  const provider = await open(recipe.provider);
  try {
    if (!provider.servingCost) return [];
    const lines: ServingLine[] = [];
    for (const model of bases) {
      let cost;
      try {
        cost = await provider.servingCost(model, options);
      } catch (error) {
        // Never list nothing when the provider could not say: the endpoint may still bill per minute.
        lines.push({ stages: asking, model, usdPerMinute: null, text: `serving the fine-tune of ${model} on ${recipe.provider.kind}: cost unknown (${error instanceof Error ? error.message : error})` });
        continue;
      }
      if (!cost) continue;
      const price = cost.usdPerMinute === null ? 'price not published' : `≈ $${cost.usdPerMinute.toFixed(4)}/min ($${(cost.usdPerMinute * 60).toFixed(2)}/h)`;
      lines.push({ stages: asking, model, usdPerMinute: cost.usdPerMinute, text: `${cost.what}: ${price} while it runs (${asking.join(', ')}); ${cost.teardown}` });
    }
    return lines;
  } finally {
    await provider.close();
  }
}
