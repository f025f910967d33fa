/**
 * Where oaieval sends its requests. oaieval reads OPENAI_BASE_URL and OPENAI_API_KEY: for the local
 * provider we point it at a local server (its own, when the Provider does not publish a URL) with a
 * dummy key; for real providers the base URL comes from the Provider's identity and the key passes
 * through from the environment untouched, never written anywhere.
 */
import { FtpipeError } from '../errors.js';
import type { Provider } from '../providers/types.js';

export interface OaievalEndpoint {
  /** Variables added to the inherited environment of the oaieval process. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const localDummyKey = 'ftpipe-local-no-key';

export async function oaievalEndpoint(provider: Provider, options: { env: NodeJS.ProcessEnv }): Promise<OaievalEndpoint> {
  const identity = provider.identity;
  if (identity.kind === 'local') {
    // The in-process local server, with its per-run token: oaieval talks to the very server the run uses.
    const endpoint = provider.endpoint?.();
    if (endpoint) return { env: { OPENAI_BASE_URL: endpoint.baseUrl, OPENAI_API_KEY: endpoint.apiKey }, close: async () => {} };
    if (identity.baseUrl) return { env: { OPENAI_BASE_URL: identity.baseUrl, OPENAI_API_KEY: localDummyKey }, close: async () => {} };
    throw new FtpipeError('the local provider did not publish an endpoint for oaieval (this is a bug)', 'INTERNAL');
  }
  if (identity.kind === 'azure') {
    throw new FtpipeError('oaieval cannot call Azure OpenAI deployments', 'PARAM_INVALID', { hint: 'use the eval stage, which speaks to every provider ftpipe supports' });
  }
  if (!options.env.OPENAI_API_KEY) {
    throw new FtpipeError('oaieval needs OPENAI_API_KEY in the environment', 'PROVIDER_KEY_MISSING', { hint: 'export OPENAI_API_KEY=… (ftpipe passes it to oaieval and never writes it down)' });
  }
  return { env: identity.baseUrl ? { OPENAI_BASE_URL: identity.baseUrl } : {}, close: async () => {} };
}
