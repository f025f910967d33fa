import { identityFrom } from '../providers/adapter.js';
import { loadAdapter } from '../providers/registry.js';
import type { ProviderConfig, ProviderFactory } from '../providers/types.js';

/** The engine never imports a provider: the CLI hands it this factory, loaded only when a stage asks. */
export const lazyProviderFactory: ProviderFactory = async (config, options) => {
  const { createProvider } = (await import(new URL('../providers/index.js', import.meta.url).href)) as { createProvider: ProviderFactory };
  return createProvider(config, options);
};

/**
 * Remote results belong to one provider: the identity fields of its block (endpoint, org/project, …),
 * plus what only this workspace knows (the local provider's instance id, see providers/local.ts).
 */
export async function identifyProvider(config: ProviderConfig, workspace: string, options: { create?: boolean } = {}): Promise<Record<string, string>> {
  const adapter = await loadAdapter(config.kind);
  if (!adapter) return { kind: config.kind };
  return { ...identityFrom(adapter, config), ...(adapter.identifyInWorkspace?.(config, workspace, options) ?? {}) };
}
