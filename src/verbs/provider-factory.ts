import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProviderConfig, ProviderFactory } from '../providers/types.js';
import { providerKeyIdentity } from '../run/provider-identity.js';

/** The engine never imports a provider: the CLI hands it this factory, loaded only when a stage asks. */
export const lazyProviderFactory: ProviderFactory = async (config, options) => {
  const { createProvider } = (await import(new URL('../providers/index.js', import.meta.url).href)) as { createProvider: ProviderFactory };
  return createProvider(config, options);
};

/**
 * Remote results belong to one provider. For OpenAI/Azure that is the endpoint and org/project; a local
 * provider's files and jobs live in one workspace's data dir, so its identity carries that dir's
 * instance id: a fresh clone (new, empty local provider) does not mistake the lock's ids for its own.
 */
export function identifyProvider(config: ProviderConfig, workspace: string): Record<string, string> {
  const identity = providerKeyIdentity(config);
  if (config.kind !== 'local') return identity;
  const dataDir = resolve(workspace, typeof config.data_dir === 'string' ? config.data_dir : '.ftpipe/local-provider');
  const file = join(dataDir, 'instance-id');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(6).toString('hex') + '\n', { flag: 'wx' });
  }
  return { ...identity, instance: readFileSync(file, 'utf8').trim() };
}
