/**
 * Plan-time warnings about models and providers going away. Dates are ISO strings (YYYY-MM-DD), so
 * string comparison orders them. The provider's own date (its model list) wins over the catalog; the
 * catalog's dates apply on the provider that fine-tunes the model (OpenAI's also on Azure).
 */
import { catalogAsOf, catalogFor, modelFacts, openaiFineTuningEndDate, type CatalogProvider } from '../models/catalog.js';
import type { ModelInfo, ProviderIdentity } from '../providers/types.js';
import { isOpenAIPlatform } from './openai-platform.js';

/** Warn this many days ahead of a shutdown. */
const warnAheadDays = 90;

export function deprecationWarnings(options: { identity: ProviderIdentity; model?: string; today: string; providerModels?: ModelInfo[] }): string[] {
  const warnings: string[] = [];
  const { identity, today } = options;
  if (isOpenAIPlatform(identity)) {
    const who = identity.kind === 'openai' ? 'provider openai' : `provider ${identity.kind} (${identity.baseUrl}, which is OpenAI)`;
    if (today >= openaiFineTuningEndDate) warnings.push(`${who}: OpenAI stopped creating self-serve fine-tuning jobs on ${openaiFineTuningEndDate}; train will fail (switch provider)`);
    else if (daysBetween(today, openaiFineTuningEndDate) <= warnAheadDays) warnings.push(`${who}: OpenAI stops creating self-serve fine-tuning jobs on ${openaiFineTuningEndDate} (in ${daysBetween(today, openaiFineTuningEndDate)} days)`);
  }
  if (!options.model) return warnings;
  const base = options.model.startsWith('ft:') ? options.model.split(':')[1] : options.model;
  const catalogProvider = catalogProviderOf(identity);
  const notCatalogued = notFineTunedHere(catalogProvider, base);
  if (notCatalogued) warnings.push(notCatalogued);
  const fromProvider = options.providerModels?.find((m) => m.id === options.model || m.id === base)?.shutdownDate;
  const facts = modelFacts(base);
  const fromCatalog = catalogProvider && (facts?.provider ?? 'openai') === catalogProvider ? facts?.shutdownDate : undefined;
  const shutdown = fromProvider ?? fromCatalog;
  if (!shutdown) return warnings;
  const source = fromProvider ? 'the provider' : 'the model catalog';
  if (today >= shutdown) warnings.push(`model ${options.model}: retired on ${shutdown} (per ${source}); pick a newer base model`);
  else if (daysBetween(today, shutdown) <= warnAheadDays) warnings.push(`model ${options.model}: shuts down on ${shutdown} (per ${source}, in ${daysBetween(today, shutdown)} days)`);
  return warnings;
}

/** Whose catalog entries (and dates) apply: Azure serves OpenAI's models; compatible servers only when they are OpenAI. */
function catalogProviderOf(identity: ProviderIdentity): CatalogProvider | undefined {
  if (isOpenAIPlatform(identity) || identity.kind === 'azure') return 'openai';
  if (identity.kind === 'together' || identity.kind === 'fireworks') return identity.kind;
  return undefined;
}

/** Open-model platforms do not train OpenAI's models: say so at plan time, with what they do train. */
function notFineTunedHere(provider: CatalogProvider | undefined, model: string): string | undefined {
  if (provider !== 'together' && provider !== 'fireworks') return undefined;
  if (model.includes('${{') || (modelFacts(model)?.provider ?? 'openai') === provider) return undefined;
  const known = catalogFor(provider);
  const examples = known.slice(0, 3).map((m) => m.id).join(', ');
  return `model ${model}: not in ftpipe's catalog of models ${provider} fine-tunes (as of ${catalogAsOf}; e.g. ${examples}); ${provider} will decide when the job is created`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
