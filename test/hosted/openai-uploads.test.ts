/**
 * Training files over the Files API's 512 MB go through OpenAI's Uploads API, in parts; over 8 GB, or on
 * a server without the Uploads API, they are refused with the reason. Against the real local server
 * (openai flavour, which speaks the Uploads API), with the limits scaled down so the test stays small.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';
import { OpenAIApiProvider } from '../../src/providers/openai-api-provider.js';
import { openaiClient } from '../../src/providers/openai-client.js';
import { openaiCapabilities } from '../../src/providers/openai.js';
import { tempWorkspace, writeTrainingFile } from '../remote/local-fixture.js';

let server: LocalServer;
let together: LocalServer;
const dir = tempWorkspace();
const provider = (url: string) => new OpenAIApiProvider({ client: openaiClient({ apiKey: 't', baseURL: url }), identity: { kind: 'openai-compatible', baseUrl: url }, capabilities: openaiCapabilities, uploadLimits: { filesApiBytes: 1000, partBytes: 400 }, fileProcessingPollMs: 20 });

beforeAll(async () => {
  server = await startLocalServer({ dataDir: join(dir, 'openai'), token: 't' });
  together = await startLocalServer({ dataDir: join(dir, 'together'), token: 't', flavor: 'together' });
});
afterAll(async () => {
  await server.close();
  await together.close();
});

describe('uploads over the Files API limit', () => {
  it('go through the Uploads API in parts, and arrive whole', async () => {
    const path = writeTrainingFile(dir, 24);
    const size = readFileSync(path).length;
    expect(size).toBeGreaterThan(1000);
    const file = await provider(server.url).uploadFile(path, { purpose: 'fine-tune', filename: 'ftpipe-abc-train.jsonl' });
    expect(file).toMatchObject({ filename: 'ftpipe-abc-train.jsonl', bytes: size, status: 'processed' });
    const counts = server.requestCounts();
    expect(counts['POST /v1/uploads']).toBe(1);
    expect(counts['POST /v1/uploads/:id/parts']).toBe(Math.ceil(size / 400));
    expect(counts['POST /v1/uploads/:id/complete']).toBe(1);
    expect(counts['POST /v1/files']).toBeUndefined();
    expect((await provider(server.url).fileContent(file.id)).equals(readFileSync(path))).toBe(true);
  });

  it('are refused with the reason on a server without the Uploads API', async () => {
    const path = writeTrainingFile(dir, 24, 'other.jsonl');
    await expect(provider(together.url).uploadFile(path, { purpose: 'fine-tune' })).rejects.toMatchObject({ code: 'PROVIDER_FILE_TOO_LARGE', message: expect.stringContaining('this server has no Uploads API (POST /uploads: 404)') });
  });

  it('over 8 GB are refused before a byte is sent', async () => {
    const huge = join(dir, 'huge.jsonl');
    await writeFile(huge, '');
    await truncate(huge, 9 * 2 ** 30); // sparse: no disk used
    const before = JSON.stringify(server.requestCounts());
    await expect(provider(server.url).uploadFile(huge, { purpose: 'fine-tune' })).rejects.toMatchObject({ code: 'PROVIDER_FILE_TOO_LARGE', message: 'huge.jsonl is 9.0 GB; OpenAI takes training files of at most 8 GB (Uploads API)' });
    expect(JSON.stringify(server.requestCounts())).toBe(before);
  });
});
