/** Bearer token, body-size limits and loopback binding. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startTestServer, type TestServer } from './helpers/local-server.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ token: 'sekrit-token', maxBodyBytes: 4096 });
});
afterAll(async () => {
  await t.server.close();
});

describe('bearer token', () => {
  it('accepts the right token and refuses a wrong or missing one with 401', async () => {
    expect(t.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect((await t.client.models.list()).data.length).toBeGreaterThan(0);
    const wrong = new OpenAI({ baseURL: t.server.url, apiKey: 'nope', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    const response = await fetch(`${t.server.url}/models`);
    expect(response.status).toBe(401);
    expect((await response.json()).error.type).toBe('invalid_request_error');
  });
});

describe('body limits', () => {
  it('refuses an upload larger than maxBodyBytes with 413 and keeps no file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ftpipe-local-limit-')), 'big.jsonl');
    writeFileSync(path, 'x'.repeat(10_000));
    const error = await t.client.files.create({ file: createReadStream(path), purpose: 'fine-tune' }).catch((e) => e);
    expect(error).toMatchObject({ status: 413, code: 'request_too_large' });
    expect((await t.client.files.list()).data).toHaveLength(0);
  });

  it('refuses a JSON body over the limit with 413', async () => {
    const error = await t.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'y'.repeat(5000) }] }).catch((e) => e);
    expect(error.status).toBe(413);
  });

  it('answers unknown routes and bad JSON in OpenAI error shape', async () => {
    const headers = { authorization: 'Bearer sekrit-token', 'content-type': 'application/json' };
    const unknown = await fetch(`${t.server.url}/nothing`, { headers });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe('Invalid URL (GET /v1/nothing)');
    const bad = await fetch(`${t.server.url}/chat/completions`, { method: 'POST', headers, body: '{oops' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.type).toBe('invalid_request_error');
  });
});
