/** A real local server on a random port with its own temp data dir, and an SDK client for it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../../src/local/server.js';

export interface TestServer {
  server: LocalServer;
  client: OpenAI;
  dataDir: string;
  logs: string[];
}

export async function startTestServer(options: Partial<LocalServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ftpipe-local-'));
  const logs: string[] = [];
  const server = await startLocalServer({ ...options, dataDir, log: (line) => logs.push(line) });
  const client = new OpenAI({ baseURL: server.url, apiKey: options.token ?? 'local', maxRetries: 3 });
  return { server, client, dataDir, logs };
}

/** Poll like a client would, until the job reaches a final state. */
export async function waitForJob(client: OpenAI, id: string, timeoutMs = 30_000): Promise<OpenAI.FineTuning.FineTuningJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.fineTuning.jobs.retrieve(id);
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
