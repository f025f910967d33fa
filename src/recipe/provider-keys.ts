/** The variables the recipe's provider reads its key from are secrets whatever their names. */
import { addSecretNames } from '../secrets/known-secrets.js';
import { loadAdapter } from '../providers/registry.js';

export async function addProviderKeyNames(provider: unknown, env: NodeJS.ProcessEnv, options: { loadAdapter: boolean }): Promise<void> {
  const block = (provider && typeof provider === 'object' ? provider : {}) as Record<string, unknown>;
  // The adapter (its keyEnv) only when a stage talks to the provider: the engine loads it then anyway.
  const adapter = options.loadAdapter ? await loadAdapter(typeof block.kind === 'string' ? block.kind : 'local') : undefined;
  addSecretNames([typeof block.api_key_env === 'string' ? block.api_key_env : undefined, adapter?.keyEnv], env);
}
