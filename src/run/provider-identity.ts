import { identityFrom } from '../providers/adapter.js';
import { loadAdapter } from '../providers/registry.js';
import type { ProviderConfig } from '../providers/types.js';

/**
 * Who a remote result belongs to, from the recipe's provider block: the kind and the fields its adapter
 * names as identity — never a key, never the local provider's random port. It is part of the key of
 * every stage that uses the provider. (The adapter module is light: SDKs load only in create().)
 */
export async function providerKeyIdentity(config: ProviderConfig): Promise<Record<string, string>> {
  const adapter = await loadAdapter(config.kind);
  return adapter ? identityFrom(adapter, config) : { kind: config.kind };
}
