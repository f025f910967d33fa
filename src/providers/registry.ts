/**
 * Adapter factories by exact kind. Adding a provider (together, fireworks, a self-hosted TRL trainer)
 * is one file exporting an AdapterFactory and one line here; the engine never changes.
 */
import type { Provider, ProviderConfig } from './types.js';

export type AdapterFactory = (config: ProviderConfig, options: { workspace: string; env: NodeJS.ProcessEnv }) => Promise<Provider>;

export const adapterFactories: Record<string, () => Promise<AdapterFactory>> = {
  openai: async () => (await import('./openai.js')).createOpenAIProvider,
  azure: async () => (await import('./azure.js')).createAzureProvider,
  'openai-compatible': async () => (await import('./openai-compatible.js')).createCompatibleProvider,
  local: async () => (await import('./local.js')).createLocalProvider,
};
