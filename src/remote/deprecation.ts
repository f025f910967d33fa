/**
 * Plan-time warnings about models and providers going away. Dates are ISO strings (YYYY-MM-DD), so
 * string comparison orders them. The provider's /v1/models shutdown_date wins over the catalog.
 */
import { modelFacts, openaiFineTuningEndDate } from '../models/catalog.js';
import type { ModelInfo, ProviderIdentity } from '../providers/types.js';
import { isOpenAIPlatform } from './train-guard.js';

/** Warn this many days ahead of a shutdown. */
const warnAheadDays = 90;

export function deprecationWarnings(options: { identity: ProviderIdentity; model?: string; today: string; providerModels?: ModelInfo[] }): string[] {
  const warnings: string[] = [];
  if (isOpenAIPlatform(options.identity)) {
    if (options.today >= openaiFineTuningEndDate) warnings.push(`provider openai: OpenAI stopped creating self-serve fine-tuning jobs on ${openaiFineTuningEndDate}; train will fail (switch provider)`);
    else if (daysBetween(options.today, openaiFineTuningEndDate) <= warnAheadDays) warnings.push(`provider openai: OpenAI stops creating self-serve fine-tuning jobs on ${openaiFineTuningEndDate} (in ${daysBetween(options.today, openaiFineTuningEndDate)} days)`);
  }
  if (!options.model) return warnings;
  const base = options.model.startsWith('ft:') ? options.model.split(':')[1] : options.model;
  const fromProvider = options.providerModels?.find((m) => m.id === options.model || m.id === base)?.shutdownDate;
  const shutdown = fromProvider ?? (isOpenAIPlatform(options.identity) || options.identity.kind === 'azure' ? modelFacts(base)?.shutdownDate : undefined);
  if (!shutdown) return warnings;
  const source = fromProvider ? 'the provider' : 'the model catalog';
  if (options.today >= shutdown) warnings.push(`model ${options.model}: retired on ${shutdown} (per ${source}); pick a newer base model`);
  else if (daysBetween(options.today, shutdown) <= warnAheadDays) warnings.push(`model ${options.model}: shuts down on ${shutdown} (per ${source}, in ${daysBetween(options.today, shutdown)} days)`);
  return warnings;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
