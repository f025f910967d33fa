/**
 * Probes of `ftpipe serve`'s server with what no well-behaved client sends: no or a wrong token, foreign
 * Host and Origin headers, oversized and chunked bodies, cut-short and malformed uploads, path traversal,
 * idle connections, out-of-bounds chat requests. After every probe the server still answers, nothing is
 * left in its data folder, and every error has OpenAI's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/local-server.js';
import { expectSchema } from './helpers/openapi-schema.js';
import { idleConnections, multipartBody, rawRequest, type RawRequest, type RawResponse } from '../helpers/raw-http.js';
import { mountSmallDisk } from '../helpers/small-disk.js';

const TOKEN = 'probe-token-0123456789';
const LIMIT = 64 * 1024;
let t: TestServer;

const auth = { authorization: `Bearer ${TOKEN}` };
const send = (request: RawRequest) => rawRequest(t.server.url, { ...request, headers: { ...auth, ...request.headers } });

function expectOpenAIError(response: RawResponse, status: number, code?: string | null): void {
  expect(response.status, response.body).toBe(status);
  expectSchema('ErrorResponse', response.json);
  if (code !== undefined) expect(response.json.error.code).toBe(code);
}

async function expectAlive(): Promise<void> {
  expect((await t.client.models.list()).data.length).toBeGreaterThan(0);
}

/** Temp files of uploads (`.upload-*.tmp`) and anything else half-written in the files folder. */
async function expectNoTemps(): Promise<void> {
  const dir = join(t.dataDir, 'files');
  await expect.poll(() => readdirSync(dir).filter((name) => name.startsWith('.')), { timeout: 10_000 }).toEqual([]);
}

beforeAll(async () => {
  t = await startTestServer({ token: TOKEN, maxBodyBytes: LIMIT });
});
afterAll(async () => t.server.close());

describe('token', () => {
  it('refuses a missing and a wrong token with 401 in OpenAI error shape', async () => {
    expectOpenAIError(await rawRequest(t.server.url, { method: 'GET', path: '/v1/models' }), 401, null);
    expectOpenAIError(await rawRequest(t.server.url, { method: 'GET', path: '/v1/models', headers: { authorization: 'Bearer nope' } }), 401, 'invalid_api_key');
    expectOpenAIError(await rawRequest(t.server.url, { method: 'GET', path: '/v1/models', headers: { authorization: `Bearer ${TOKEN}x` } }), 401, 'invalid_api_key');
    await expectAlive();
  });
});

describe('Host and Origin', () => {
  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const port = new URL(t.server.url).port;
    expectOpenAIError(await send({ method: 'GET', path: '/v1/models', headers: { host: `attacker.example:${port}` } }), 403, 'invalid_host');
    expectOpenAIError(await send({ method: 'GET', path: '/v1/models', headers: { host: `127.0.0.1.rebind.example:${port}` } }), 403, 'invalid_host');
    expect((await send({ method: 'GET', path: '/v1/models', headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses a cross-origin text/plain upload before it creates anything', async () => {
    const boundary = 'b0undary';
    const body = multipartBody(boundary, { name: 'x.jsonl', content: '{"messages": []}' });
    const response = await send({ method: 'POST', path: '/v1/files', headers: { origin: 'https://evil.example', 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    expectOpenAIError(response, 403, 'cross_origin_forbidden');
    const plain = await send({ method: 'POST', path: '/v1/fine_tuning/jobs', headers: { origin: 'null', 'content-type': 'text/plain' }, body: '{"model":"gpt-4o-mini","training_file":"file-x"}' });
    expectOpenAIError(plain, 403, 'cross_origin_forbidden');
    const navigation = await send({ method: 'GET', path: '/v1/files', headers: { 'sec-fetch-site': 'cross-site' } });
    expectOpenAIError(navigation, 403, 'cross_origin_forbidden');
    expect((await t.client.files.list()).data).toHaveLength(0);
  });
});

describe('uploads that go wrong', () => {
  const boundary = 'XyZzy';
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  const filePart = (name: string, content: string) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n${content}\r\n`;

  it('answers 400 to a multipart body that ends before its closing boundary', async () => {
    const body = multipartBody(boundary, { name: 'a.jsonl', content: '{"a": 1}\n' }, { close: false });
    expectOpenAIError(await send({ method: 'POST', path: '/v1/files', headers, body }), 400);
    await expectNoTemps();
    await expectAlive();
  });

  it('survives a client that disconnects mid-upload and removes the temp file', async () => {
    const body = multipartBody(boundary, { name: 'a.jsonl', content: 'x'.repeat(40_000) });
    const response = await send({ method: 'POST', path: '/v1/files', headers: { ...headers, 'content-length': String(body.length) }, body, disconnectAfter: 20_000 });
    expect(response.status).toBe(0);
    await expectNoTemps();
    await expectAlive();
  });

  it('answers 400 to malformed multipart and to multipart without a boundary', async () => {
    const garbage = `--${boundary}\r\nno headers here at all\r\n\r\n${'z'.repeat(100)}`;
    expectOpenAIError(await send({ method: 'POST', path: '/v1/files', headers, body: garbage }), 400);
    expectOpenAIError(await send({ method: 'POST', path: '/v1/files', headers: { 'content-type': 'multipart/form-data' }, body: 'ab' }), 400);
    expectOpenAIError(await send({ method: 'POST', path: '/v1/files', headers: { 'content-type': 'text/plain' }, body: 'ab' }), 400);
    const twoFiles = filePart('a.jsonl', 'a') + filePart('b.jsonl', 'b') + `--${boundary}--\r\n`;
    expectOpenAIError(await send({ method: 'POST', path: '/v1/files', headers, body: twoFiles }), 400);
    await expectNoTemps();
    await expectAlive();
  });

  it('enforces the size limit on a chunked upload: 413 while the client is still sending, no temp left', async () => {
    const start = filePart('big.jsonl', '').replace(/\r\n$/, '');
    const flood = { chunk: Buffer.alloc(64 * 1024, 'x'), maxBytes: 256 * 1024 * 1024 };
    const response = await send({ method: 'POST', path: '/v1/files', headers, body: start, flood });
    expectOpenAIError(response, 413, 'request_too_large');
    // Answered while the client was still sending (socket buffers take a few MB more).
    expect(response.sent).toBeLessThan(flood.maxBytes);
    await expectNoTemps();
    await expectAlive();
  });

  it('enforces the size limit on a chunked JSON body', async () => {
    const flood = { chunk: Buffer.alloc(64 * 1024, 'y'), maxBytes: 256 * 1024 * 1024 };
    const response = await send({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: '{"model": "gpt-4o-mini", "x": "', flood });
    expectOpenAIError(response, 413, 'request_too_large');
    expect(response.sent).toBeLessThan(flood.maxBytes);
    await expectAlive();
  });

  it('keeps only the file name of an uploaded path and never writes outside its folder', async () => {
    const body = multipartBody(boundary, { name: '../../../evil.jsonl', content: '{"a": 1}\n' });
    const response = await send({ method: 'POST', path: '/v1/files', headers, body });
    expect(response.status).toBe(200);
    expect(response.json.filename).toBe('evil.jsonl');
    expect(existsSync(join(t.dataDir, '..', 'evil.jsonl'))).toBe(false);
    await t.client.files.delete(response.json.id);
  });
});

describe('malformed requests and path traversal', () => {
  it('answers malformed JSON, wrong types and unknown routes in OpenAI error shape', async () => {
    const json = { 'content-type': 'application/json' };
    expectOpenAIError(await send({ method: 'POST', path: '/v1/chat/completions', headers: json, body: '{"model": ' }), 400);
    expectOpenAIError(await send({ method: 'POST', path: '/v1/chat/completions', headers: json, body: '[1, 2]' }), 400);
    expectOpenAIError(await send({ method: 'POST', path: '/v1/chat/completions', headers: json, body: '{"model": "gpt-4o-mini", "messages": "hi"}' }), 400);
    expectOpenAIError(await send({ method: 'POST', path: '/v1/fine_tuning/jobs', headers: json, body: '{"model": "gpt-4o-mini", "training_file": {"$ne": 1}}' }), 400);
    expectOpenAIError(await send({ method: 'DELETE', path: '/v1/chat/completions' }), 405);
    expectOpenAIError(await send({ method: 'GET', path: '/v1/%E0%A4%A' }), 404);
    await expectAlive();
  });

  it('treats ids as names, never as paths', async () => {
    for (const path of ['/v1/files/..%2F..%2F..%2Fetc%2Fpasswd', '/v1/files/..%2Fjobs%2Fx/content', '/v1/fine_tuning/jobs/..%2F..%2Fmodels/events', '/v1/models/..%2F..%2Ffiles']) {
      expectOpenAIError(await send({ method: 'GET', path }), 404);
    }
    expectOpenAIError(await send({ method: 'DELETE', path: '/v1/models/..%2Fjobs' }), 404);
    expectOpenAIError(await send({ method: 'DELETE', path: '/v1/files/..%2F..%2Fftpipe.lock' }), 404);
    await expectAlive();
  });
});

describe('chat request bounds', () => {
  const chat = (body: Record<string, unknown>) => send({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }) });

  it('caps n at 128 and max_tokens at the model maximum, as OpenAI does', async () => {
    expectOpenAIError(await chat({ n: 200_000 }), 400, 'integer_above_max_value');
    expectOpenAIError(await chat({ n: 129 }), 400, 'integer_above_max_value');
    expectOpenAIError(await chat({ max_tokens: 1e9 }), 400, 'invalid_value');
    expectOpenAIError(await chat({ max_completion_tokens: 16_385 }), 400, 'invalid_value');
    const ok = await chat({ n: 128, max_tokens: 16_384 });
    expect(ok.status).toBe(200);
    expect(ok.json.choices).toHaveLength(128);
  });
});

describe('idle connections', () => {
  it('keeps serving with 200 idle connections open, and closes them once idle', async () => {
    const idle = await startTestServer({ token: TOKEN, timeouts: { idleMs: 1500 } });
    try {
      const sockets = await idleConnections(idle.server.url, 200);
      expect((await idle.client.models.list()).data.length).toBeGreaterThan(0);
      await expect.poll(() => sockets.filter((s) => !s.closed).length, { timeout: 30_000, interval: 200 }).toBe(0);
      expect((await idle.client.models.list()).data.length).toBeGreaterThan(0);
    } finally {
      await idle.server.close();
    }
  });
});

const disk = mountSmallDisk(512);
describe.skipIf(!disk)('a full disk', () => {
  afterAll(() => disk?.unmount());

  it('answers 507 to an upload that does not fit, removes its temp and keeps serving', async () => {
    const small = await startTestServer({ token: TOKEN, dataDir: join(disk!.dir, 'provider') });
    try {
      const boundary = 'full';
      const body = multipartBody(boundary, { name: 'big.jsonl', content: 'x'.repeat(1024 * 1024) });
      const response = await rawRequest(small.server.url, { method: 'POST', path: '/v1/files', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
      expectOpenAIError(response, 507, 'insufficient_storage');
      expect(response.json.error.message).toContain('the disk is full');
      expect(readdirSync(join(disk!.dir, 'provider', 'files'))).toEqual([]);
      expect((await small.client.models.list()).data.length).toBeGreaterThan(0);
    } finally {
      await small.server.close();
    }
  });
});
