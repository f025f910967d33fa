/**
 * kind: local — starts ftpipe's own OpenAI-compatible server in this process (127.0.0.1, a free
 * port, state in <workspace>/.ftpipe/local-provider) and talks to it over real HTTP, exactly like
 * any compatible provider. close() stops the server. A fresh random token guards each start.
 */
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { OpenAIApiProvider } from './openai-api-provider.js';
import { openaiClient } from './openai-client.js';
import { openaiCapabilities } from './openai.js';
import type { AdapterFactory } from './registry.js';
import { defaultRetryPolicy } from '../remote/retry.js';

export const createLocalProvider: AdapterFactory = async (config, { workspace }) => {
  const { startLocalServer } = await import('../local/server.js');
  const { faultConfigFrom } = await import('../local/fault-spec.js');
  const faults = faultConfigFrom(config.faults, 'provider.faults');
  const dataDir = config.data_dir ? (isAbsolute(config.data_dir) ? config.data_dir : resolve(workspace, config.data_dir)) : join(workspace, '.ftpipe', 'local-provider');
  const token = randomBytes(16).toString('hex');
  const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, token, faults });
  return new OpenAIApiProvider({
    client: openaiClient({ apiKey: token, baseURL: server.url }),
    // The port changes every start, so it is not part of who the results belong to.
    identity: { kind: 'local' },
    capabilities: { ...openaiCapabilities, methods: ['supervised'], formats: ['chat-jsonl'] },
    onClose: () => server.close(),
    endpoint: { baseUrl: server.url, apiKey: token },
    fileProcessingPollMs: 100,
    // Same machine: back off briefly (retry-after from the server is still honoured as sent).
    retry: { policy: { ...defaultRetryPolicy, baseDelayMs: 50, maxDelayMs: 1000 } },
  });
};
