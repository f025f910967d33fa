/**
 * `ftpipe serve` as users run it (the compiled CLI): always a token (made and printed when none is
 * chosen), no listening beyond loopback without a chosen token, faults, a clean stop on Ctrl-C, and a
 * cut-short upload that leaves it running.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { runCli } from '../helpers/project.js';
import { multipartBody, rawRequest } from '../helpers/raw-http.js';
import { startServe } from './helpers/serve-process.js';

const TOKEN = 'tok-0123456789abcdef';

describe('ftpipe serve', () => {
  it('serves with a token from the environment and faults, until SIGINT', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-serve-'));
    const serve = await startServe(['--data-dir', dataDir, '--token-env', 'LOCAL_TOKEN', '--fault', '503:first=1'], { LOCAL_TOKEN: TOKEN });
    expect(serve.stdout).toContain('OPENAI_API_KEY=the value of $LOCAL_TOKEN');
    expect(serve.stdout).not.toContain(TOKEN);
    const client = new OpenAI({ baseURL: serve.url, apiKey: TOKEN, maxRetries: 0 });
    await expect(client.models.list()).rejects.toMatchObject({ status: 503 });
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
    expect((await serve.stop()).exitCode).toBe(0);
  });

  it('makes a token when none is chosen, prints it, and refuses requests without it', async () => {
    const serve = await startServe(['--data-dir', mkdtempSync(join(tmpdir(), 'ftpipe-serve-'))]);
    expect(serve.apiKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await expect(new OpenAI({ baseURL: serve.url, apiKey: 'anything', maxRetries: 0 }).models.list()).rejects.toMatchObject({ status: 401 });
    expect((await new OpenAI({ baseURL: serve.url, apiKey: serve.apiKey, maxRetries: 0 }).models.list()).data.length).toBeGreaterThan(0);
    const again = await startServe(['--data-dir', mkdtempSync(join(tmpdir(), 'ftpipe-serve-'))]);
    expect(again.apiKey).not.toBe(serve.apiKey);
    await Promise.all([serve.stop(), again.stop()]);
  });

  it('refuses a non-loopback --host without a chosen token, and a weak token', async () => {
    const open = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], tmpdir());
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('--host 0.0.0.0 reaches beyond this machine');
    expect(open.stderr).toContain('--token-env');
    const weak = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--token-env', 'T'], tmpdir(), { env: { T: 'short' } });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('use at least 16');
  });

  it('keeps running after cut-short and abandoned uploads, and leaves no temp file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-serve-'));
    const serve = await startServe(['--data-dir', dataDir]);
    const headers = { authorization: `Bearer ${serve.apiKey}`, 'content-type': 'multipart/form-data; boundary=cut' };
    const body = multipartBody('cut', { name: 'a.jsonl', content: 'x'.repeat(200_000) }, { close: false });
    expect((await rawRequest(serve.url, { method: 'POST', path: '/v1/files', headers, body })).status).toBe(400);
    expect((await rawRequest(serve.url, { method: 'POST', path: '/v1/files', headers: { ...headers, 'content-length': String(body.length * 2) }, body, disconnectAfter: 100_000 })).status).toBe(0);
    expect((await rawRequest(serve.url, { method: 'POST', path: '/v1/files', headers: { ...headers, 'content-type': 'multipart/form-data' }, body: 'x' })).status).toBe(400);
    const client = new OpenAI({ baseURL: serve.url, apiKey: serve.apiKey, maxRetries: 0 });
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
    await expect.poll(() => readdirSync(join(dataDir, 'files')).filter((n) => n.startsWith('.'))).toEqual([]);
    const stopped = await serve.stop();
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stderr).not.toMatch(/internal error|Unhandled|at .+\.js:\d+/);
  });

  it('reports a bad --fault as a usage error', async () => {
    const result = await runCli(['serve', '--fault', 'boom'], tmpdir());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid --fault "boom"');
  });
});
