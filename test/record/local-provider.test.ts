/** The recording client against ftpipe's own local provider, over real HTTP with the openai SDK. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';
import { recordingClient, type DatasetRecord } from '../../src/index.js';

let server: LocalServer;
const root = mkdtempSync(join(tmpdir(), 'ftpipe-record-local-'));
beforeAll(async () => (server = await startLocalServer({ port: 0, dataDir: join(root, 'provider') })));
afterAll(() => server.close());

describe('recordingClient with the local provider', () => {
  it('records plain and streamed completions, and not failed ones', async () => {
    const client = recordingClient(new OpenAI({ baseURL: server.url, apiKey: 'local', maxRetries: 0 }), { dir: join(root, 'datasets'), defaultDataset: 'local', metadata: { app: 'test' } });
    const messages = [{ role: 'user' as const, content: 'why does the proxy drop packets?' }];
    const plain = await client.chat.completions.create({ model: 'gpt-4o-mini-2024-07-18', messages });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini-2024-07-18', messages, stream: true, metadata: { mode: 'stream' } });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
    await expect(client.chat.completions.create({ model: 'no-such-model', messages })).rejects.toMatchObject({ status: 404 });
    await client.recorder.flush();

    const records: DatasetRecord[] = [];
    for await (const r of client.recorder.store.read('local')) records.push(r);
    expect(records.map((r) => r.messages.at(-1)!.content)).toEqual([plain.choices[0].message.content, streamed]);
    expect(streamed).toBe(plain.choices[0].message.content); // the untrained base model's fixed answer
    expect(records[0].metadata).toMatchObject({ app: 'test', model: 'gpt-4o-mini-2024-07-18' });
    expect(records[1].metadata).toMatchObject({ app: 'test', mode: 'stream' });
  });
});
