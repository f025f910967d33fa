/** createProvider: the ProviderFactory the CLI hands to the engine. */
import { FtpipeError, ExitCode } from '../errors.js';
import { providerEnv } from './env-keys.js';
import { loadAdapter, providerKinds } from './registry.js';
import type { Provider, ProviderConfig, ProviderFactory } from './types.js';

export const createProvider: ProviderFactory = async (config: ProviderConfig, options: { workspace: string; env: NodeJS.ProcessEnv }): Promise<Provider> => {
  const adapter = await loadAdapter(config.kind);
  if (!adapter) throw unknownKind(config.kind);
  return adapter.create(config, { workspace: options.workspace, env: await providerEnv(options.workspace, options.env) });
};

export function unknownKind(kind: string): FtpipeError {
  return new FtpipeError(`unknown provider kind "${kind}"`, 'PROVIDER_UNKNOWN', { hint: `use one of: ${providerKinds.join(', ')}`, exitCode: ExitCode.usage });
}

export { providerKinds } from './registry.js';
