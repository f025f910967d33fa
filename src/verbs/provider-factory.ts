import type { ProviderFactory } from '../providers/types.js';

/** The engine never imports a provider: the CLI hands it this factory, loaded only when a stage asks. */
export const lazyProviderFactory: ProviderFactory = async (config, options) => {
  const { createProvider } = (await import(new URL('../providers/index.js', import.meta.url).href)) as { createProvider: ProviderFactory };
  return createProvider(config, options);
};
