/**
 * Where oaieval sends its requests. oaieval reads OPENAI_BASE_URL and OPENAI_API_KEY: for the local
 * provider we point it at a local server (its own, when the Provider does not publish a URL) with a
 * dummy key; for real providers the base URL comes from the Provider's identity and the key passes
 * through from the environment untouched, never written anywhere.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { FtpipeError } from '../errors.js';
import type { ProviderIdentity } from '../providers/types.js';

export interface OaievalEndpoint {
  /** Variables added to the inherited environment of the oaieval process. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const localDummyKey = 'ftpipe-local-no-key';

export async function oaievalEndpoint(identity: ProviderIdentity, options: { workspace: string; localDataDir?: string; env: NodeJS.ProcessEnv }): Promise<OaievalEndpoint> {
  if (identity.kind === 'local') {
    if (identity.baseUrl) return { env: { OPENAI_BASE_URL: identity.baseUrl, OPENAI_API_KEY: localDummyKey }, close: async () => {} };
    // The local provider's in-process server keeps its URL and token private: serve the same state from a second, keyless loopback server.
    const { startLocalServer } = await import('../local/server.js');
    const dataDir = options.localDataDir ? (isAbsolute(options.localDataDir) ? options.localDataDir : resolve(options.workspace, options.localDataDir)) : join(options.workspace, '.ftpipe', 'local-provider');
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
    return { env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: localDummyKey }, close: () => server.close() };
  }
  if (identity.kind === 'azure') {
    throw new FtpipeError('oaieval cannot call Azure OpenAI deployments', 'PARAM_INVALID', { hint: 'use the eval stage, which speaks to every provider ftpipe supports' });
  }
  if (!options.env.OPENAI_API_KEY) {
    throw new FtpipeError('oaieval needs OPENAI_API_KEY in the environment', 'PROVIDER_KEY_MISSING', { hint: 'export OPENAI_API_KEY=… (ftpipe passes it to oaieval and never writes it down)' });
  }
  return { env: identity.baseUrl ? { OPENAI_BASE_URL: identity.baseUrl } : {}, close: async () => {} };
}
