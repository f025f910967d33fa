import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { recordingClient } from '../../src/index.js';
import type { DatasetRecord, DatasetStore } from '../../src/index.js';
import { startChatServer, type ChatServer } from './chat-server.js';

let server: ChatServer;
beforeAll(async () => (server = await startChatServer({ pauseMs: 400 })));
afterAll(() => server.close());

const tempDir = () => mkdtempSync(join(tmpdir(), 'ftpipe-record-'));
const openai = () => new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
const readDataset = (dir: string, name: string): DatasetRecord[] =>
  existsSync(join(dir, `${name}.jsonl`)) ? readFileSync(join(dir, `${name}.jsonl`), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

describe('recordingClient over real HTTP with the openai SDK', () => {
  it('records a completion with its tags, and never sends dataset or metadata to the API', async () => {
    const dir = tempDir();
    const client = recordingClient(openai(), { dir, metadata: { app: 'triage', source: 'prod' } });
    const reply = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'Label the issue.' }, { role: 'user', content: 'proxy crashes' }],
      dataset: 'issues',
      metadata: { source: 'staging', ticket: 'T-1' },
    });
    expect(reply.choices[0].message.content).toBe('echo: proxy crashes');
    expect(reply._request_id).toMatch(/^req_/);
    await client.recorder.flush();
    const sent = server.requests.at(-1)!;
    expect(sent).not.toHaveProperty('dataset');
    expect(sent).not.toHaveProperty('metadata');
    expect(readDataset(dir, 'issues')).toEqual([{
      messages: [{ role: 'system', content: 'Label the issue.' }, { role: 'user', content: 'proxy crashes' }, { role: 'assistant', content: 'echo: proxy crashes' }],
      metadata: { app: 'triage', source: 'staging', ticket: 'T-1', model: 'gpt-4o-mini-0001', created: '2023-11-14T22:13:20.000Z', request_id: reply._request_id },
    }]);
  });

  it('forwards metadata to the API only with store: true, and keeps withResponse()', async () => {
    const dir = tempDir();
    const client = recordingClient(openai(), { dir, defaultDataset: 'stored' });
    const { data, response, request_id } = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], store: true, metadata: { k: 'v' } })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.choices[0].message.content).toBe('echo: hi');
    expect(server.requests.at(-1)!.metadata).toEqual({ k: 'v' });
    await client.recorder.flush();
    expect(readDataset(dir, 'stored')[0].metadata).toMatchObject({ k: 'v', request_id });
  });

  it('records each choice when n > 1, and nothing for calls without a dataset', async () => {
    const dir = tempDir();
    const client = recordingClient(openai(), { dir });
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'a' }] });
    await client.chat.completions.create({ model: 'm', n: 2, messages: [{ role: 'user', content: 'b' }], dataset: 'multi' });
    await client.recorder.flush();
    expect((await client.recorder.store.list()).map((d) => d.name)).toEqual(['multi']);
    expect(readDataset(dir, 'multi').map((r) => r.messages.at(-1)!.content)).toEqual(['echo: b #0', 'echo: b #1']);
  });

  it('streams chunks through undelayed and records the reply once the stream is complete', async () => {
    const dir = tempDir();
    const client = recordingClient(openai(), { dir });
    const started = Date.now();
    const stream = await client.chat.completions.create({ model: 'slow-stream', stream: true, messages: [{ role: 'user', content: 'one two three' }], dataset: 'streamed' });
    const arrivals: number[] = [];
    let text = '';
    for await (const chunk of stream) {
      arrivals.push(Date.now() - started);
      text += chunk.choices[0]?.delta?.content ?? '';
      // While the server pauses after the first word, nothing may be recorded yet.
      if (text === 'echo: ') {
        await new Promise((r) => setTimeout(r, 50));
        expect(readDataset(dir, 'streamed')).toEqual([]);
      }
    }
    expect(text).toBe('echo: one two three');
    // The first words arrive well before the server's 400 ms pause ends: chunks are not buffered.
    expect(arrivals[1]).toBeLessThan(300);
    await client.recorder.flush();
    const records = readDataset(dir, 'streamed');
    expect(records).toHaveLength(1);
    expect(records[0].messages.at(-1)).toEqual({ role: 'assistant', content: 'echo: one two three' });
    expect(records[0].metadata.model).toBe('slow-stream-0001');
  });

  it('records nothing for a stream the caller abandons', async () => {
    const dir = tempDir();
    const client = recordingClient(openai(), { dir });
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c d' }], dataset: 'abandoned' });
    for await (const _ of stream) break;
    await client.recorder.flush();
    expect(readDataset(dir, 'abandoned')).toEqual([]);
  });

  it('never records errors: the caller gets the API error as usual', async () => {
    const dir = tempDir();
    const client = recordingClient(openai(), { dir });
    await expect(client.chat.completions.create({ model: 'fail', messages: [{ role: 'user', content: 'x' }], dataset: 'errors' })).rejects.toMatchObject({ status: 400 });
    await expect(client.chat.completions.create({ model: 'fail', stream: true, messages: [{ role: 'user', content: 'x' }], dataset: 'errors' })).rejects.toMatchObject({ status: 400 });
    await client.recorder.flush();
    expect(existsSync(join(dir, 'errors.jsonl'))).toBe(false);
  });

  it('a failing store does not break the caller: the error goes to onError', async () => {
    const failures: Array<{ error: unknown; dataset: string }> = [];
    const broken: DatasetStore = {
      list: async () => [],
      read: () => { throw new Error('unused'); },
      append: async () => { throw new Error('disk full'); },
    };
    const client = recordingClient(openai(), { store: broken, onError: (error, { dataset }) => failures.push({ error, dataset }) });
    const reply = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'still works' }], dataset: 'd' });
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }], dataset: 'd' });
    for await (const _ of stream);
    expect(reply.choices[0].message.content).toBe('echo: still works');
    await client.recorder.flush();
    expect(failures.map((f) => [(f.error as Error).message, f.dataset])).toEqual([['disk full', 'd'], ['disk full', 'd']]);
  });

  it('rejects a dataset name that could leave the directory, before sending anything', async () => {
    const client = recordingClient(openai(), { dir: tempDir() });
    const before = server.requests.length;
    expect(() => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], dataset: '../etc/passwd' })).toThrow(/invalid dataset name/);
    expect(server.requests.length).toBe(before);
  });

  it('leaves the rest of the client working (models, withOptions)', async () => {
    const client = recordingClient(openai(), { dir: tempDir() });
    expect(client.baseURL).toBe(server.url);
    expect(typeof client.withOptions({ timeout: 1000 }).chat.completions.create).toBe('function');
  });
});
