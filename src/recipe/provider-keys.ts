/** The variables the recipe's provider reads its key from are secrets whatever their names. */
import { addSecretNames } from '../secrets/known-secrets.js';
import { loadAdapter } from '../providers/registry.js';

export async function addProviderKeyNames(provider: unknown, env: NodeJS.ProcessEnv): Promise<void> {
  const block = (provider && typeof provider === 'object' ? provider : {}) as Record<string, unknown>;
  const adapter = await loadAdapter(typeof block.kind === 'string' ? block.kind : 'local');
  addSecretNames([typeof block.api_key_env === 'string' ? block.api_key_env : undefined, adapter?.keyEnv], env);
}
