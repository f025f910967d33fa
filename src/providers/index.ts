/** createProvider: the ProviderFactory the CLI hands to the engine. */
import { FtpipeError, ExitCode } from '../errors.js';
import { providerEnv } from './env-keys.js';
import { adapterFactories } from './registry.js';
import type { Provider, ProviderConfig, ProviderFactory } from './types.js';

export const createProvider: ProviderFactory = async (config: ProviderConfig, options: { workspace: string; env: NodeJS.ProcessEnv }): Promise<Provider> => {
  const load = Object.hasOwn(adapterFactories, config.kind) ? adapterFactories[config.kind] : undefined;
  if (!load) {
    const known = Object.keys(adapterFactories).join(', ');
    throw new FtpipeError(`unknown provider kind "${config.kind}"`, 'PROVIDER_UNKNOWN', { hint: `use one of: ${known}`, exitCode: ExitCode.usage });
  }
  const factory = await load();
  return factory(config, { workspace: options.workspace, env: await providerEnv(options.workspace, options.env) });
};

export { knownProviderKinds } from './known-kinds.js';
