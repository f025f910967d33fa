/**
 * kind: local — starts ftpipe's own OpenAI-compatible server in this process (127.0.0.1, a free
 * port, state in <workspace>/.ftpipe/local-provider) and talks to it over real HTTP, exactly like
 * any compatible provider. close() stops the server. A fresh random token guards each start.
 */
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { defineProviderAdapter } from './adapter.js';
import { instanceId } from './instance-id.js';
import { openaiCapabilities } from './openai.js';
import type { ProviderConfig } from './types.js';

export default defineProviderAdapter({
  kind: 'local',
  description: "ftpipe's own offline provider (the default): an OpenAI-compatible server with a small CPU trainer, started in-process.",
  block: {
    properties: {
      data_dir: { type: 'string', description: 'Where the local provider keeps its state (default .ftpipe/local-provider).' },
      faults: {
        type: 'object',
        description:
          'Fault injection for testing your own code: latencyMs, rateLimit, serverError, dropConnection ({first: N} or {probability: p}), failJobAtStep, stepDelayMs, seed; see docs/local-provider.md.',
      },
    },
  },
  pricing: 'free',
  identityFields: ['data_dir'],
  // Its files and jobs live in one workspace's data dir: the instance id keeps a fresh clone (new, empty
  // local provider) from mistaking the lock's remote ids for its own.
  identifyInWorkspace: (config, workspace, options) => ({ instance: instanceId(dataDirOf(config, workspace), options) }),
  async create(config, { workspace }) {
    const [{ startLocalServer }, { faultConfigFrom }, { OpenAIApiProvider }, { openaiClient }, { defaultRetryPolicy }] = await Promise.all([
      import('../local/server.js'),
      import('../local/fault-spec.js'),
      import('./openai-api-provider.js'),
      import('./openai-client.js'),
      import('../remote/retry.js'),
    ]);
    const faults = faultConfigFrom(config.faults, 'provider.faults');
    const token = randomBytes(16).toString('hex');
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir: dataDirOf(config, workspace), token, faults });
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
  },
});

function dataDirOf(config: ProviderConfig, workspace: string): string {
  const dir = typeof config.data_dir === 'string' && config.data_dir ? config.data_dir : join('.ftpipe', 'local-provider');
  return isAbsolute(dir) ? dir : resolve(workspace, dir);
}
