import type { ProviderConfig } from '../providers/types.js';

/**
 * Who a remote result belongs to, from the recipe's provider block: never a key, never the local
 * provider's random port. It is part of the key of every stage that uses the provider.
 */
export function providerKeyIdentity(config: ProviderConfig): Record<string, string> {
  const identity: Record<string, string> = { kind: config.kind };
  for (const field of ['base_url', 'organization', 'project', 'api_version', 'resource', 'data_dir'] as const) {
    const value = config[field];
    if (typeof value === 'string' && value) identity[field] = value;
  }
  return identity;
}
