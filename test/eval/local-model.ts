/**
 * Test helper: the real local provider over real HTTP. Starts the local server on a data dir, talks to
 * it through the openai-compatible adapter (so tests can count requests on the server), and trains a
 * real fine-tuned model via the Provider interface.
 */
import { startLocalServer, type LocalServer, type FaultConfig } from '../../src/local/server.js';
import { createProvider } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';

export const baseModelId = 'gpt-4o-mini-2024-07-18';

export interface LocalSetup {
  server: LocalServer;
  provider: Provider;
  close(): Promise<void>;
}

export async function startLocal(dataDir: string, faults?: FaultConfig): Promise<LocalSetup> {
  const server = await startLocalServer({ port: 0, dataDir, faults });
  // The local server keeps job metadata, so a lost create is found by its ftpipe_key (job_lookup: metadata).
  const provider = await createProvider({ kind: 'openai-compatible', base_url: server.url, job_lookup: 'metadata' }, { workspace: dataDir, env: {} });
  return {
    server,
    provider,
    close: async () => {
      await provider.close();
      await server.close();
    },
  };
}

export function chatRequests(server: LocalServer): number {
  return server.requestCounts()['POST /v1/chat/completions'] ?? 0;
}

export async function trainModel(provider: Provider, trainingFile: string, key: string): Promise<string> {
  const file = await provider.uploadFile(trainingFile, { purpose: 'fine-tune' });
  let job = await provider.createJob({ model: baseModelId, trainingFile: file.id, idempotencyKey: key, hyperparameters: { n_epochs: 3 } });
  const deadline = Date.now() + 30_000;
  while (job.status !== 'succeeded') {
    if (job.status === 'failed' || job.status === 'cancelled' || Date.now() > deadline) throw new Error(`local job ${job.id} ended ${job.status}: ${JSON.stringify(job.error)}`);
    await new Promise((r) => setTimeout(r, 50));
    job = await provider.getJob(job.id);
  }
  return job.fineTunedModel!;
}
