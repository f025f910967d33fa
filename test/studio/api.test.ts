/**
 * The studio's JSON API over real HTTP on a real temp workspace (no browser): pagination and filters,
 * save semantics (untouched lines byte for byte, atomic, 409 on a file changed on disk), path refusal,
 * and the run/validation/eval views.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, symlinkSync, utimesSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startStudio, type RunningStudio } from '../../src/studio/server.js';
import { makeStudioWorkspace, type StudioWorkspace } from './studio-workspace.js';

let ws: StudioWorkspace;
let studio: RunningStudio;

async function call(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const auth = { authorization: `Bearer ${studio.token}`, ...headers };
  const init: RequestInit = body === undefined ? { headers: auth } : { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) };
  const res = await fetch(new URL(path, studio.origin), init);
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  ws = await makeStudioWorkspace();
  studio = await startStudio({ workspace: ws.root, recipe: ws.recipe, port: 0 });
});
afterAll(async () => studio?.close());

describe('data API', () => {
  it('lists the recipe input and pages through the file', async () => {
    const info = await call('/api/info');
    expect(info.json.recipe.name).toBe('pipelines/demo.yaml');
    expect(info.json.files.map((f: { path: string }) => f.path)).toContain('data/train.jsonl');
    const opened = await call('/api/data/open', { path: 'data/train.jsonl' });
    expect(opened.json).toMatchObject({ path: 'data/train.jsonl', lines: 120, encoding: 'o200k_base' });
    const page = await call(`/api/data/page?id=${opened.json.id}&offset=100&limit=15`);
    expect(page.json.total).toBe(120);
    expect(page.json.rows.map((r: { line: number }) => r.line)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115]);
    const row = page.json.rows[0];
    expect(row.label).toBe('Apache');
    expect(row.example).toEqual(JSON.parse(ws.lines[100]));
    expect(row.tokens).toBeGreaterThan(20);
  });

  it('filters by finding, label, tokens and text', async () => {
    const { json: opened } = await call('/api/data/open', { path: 'data/train.jsonl' });
    const byFinding = await call(`/api/data/page?id=${opened.id}&finding=missing_user`);
    expect(byFinding.json.rows.map((r: { line: number }) => r.line)).toEqual([5]);
    expect(byFinding.json.rows[0].findings[0]).toMatchObject({ kind: 'missing_user', severity: 'warning' });
    const byLabel = await call(`/api/data/page?id=${opened.id}&label=OpenSSH&limit=100`);
    expect(byLabel.json.total).toBe(40);
    expect(byLabel.json.rows.every((r: { label: string }) => r.label === 'OpenSSH')).toBe(true);
    const facets = await call(`/api/data/facets?id=${opened.id}`);
    expect(facets.json.labels).toEqual(expect.arrayContaining([{ label: 'Linux', count: 40 }]));
    const longOnes = await call(`/api/data/page?id=${opened.id}&minTokens=${facets.json.maxTokens}&limit=500`);
    expect(longOnes.json.total).toBeGreaterThan(0);
    expect(longOnes.json.rows.every((r: { tokens: number }) => r.tokens === facets.json.maxTokens)).toBe(true);
    const search = await call(`/api/data/page?id=${opened.id}&q=${encodeURIComponent('AUTHENTICATION FAILURE')}&limit=500`);
    expect(search.json.total).toBe(ws.lines.filter((l) => l.toLowerCase().includes('authentication failure')).length);
    expect(search.json.total).toBeGreaterThan(0);
  });

  it('saves edits atomically, re-serialising only the edited lines', async () => {
    const { json: opened } = await call('/api/data/open', { path: 'data/train.jsonl' });
    const edited = JSON.parse(ws.lines[1]);
    edited.messages[2].content = 'Linux kernel';
    edited.messages.push({ role: 'user', content: 'and again?' }, { role: 'assistant', content: 'Linux' });
    const appended = { messages: [{ role: 'user', content: 'new' }, { role: 'assistant', content: 'Apache' }] };
    const saved = await call('/api/data/save', { id: opened.id, edits: [{ line: 2, example: edited }, { line: 4, example: null }], append: [appended] });
    expect(saved.status).toBe(200);
    expect(saved.json.lines).toBe(120);
    const expected = [ws.lines[0], JSON.stringify(edited) + '\n', ws.lines[2], ...ws.lines.slice(4), JSON.stringify(appended) + '\n'].join('');
    expect(readFileSync(ws.dataset, 'utf8')).toBe(expected);
    expect(readdirSync(join(ws.root, 'data'))).toEqual(['train.jsonl']); // no temp file left behind
    ws.lines = expected.split(/(?<=\n)/);
  });

  it('refuses to overwrite a file changed on disk since it was loaded (409)', async () => {
    const { json: opened } = await call('/api/data/open', { path: 'data/train.jsonl' });
    const sameSize = readFileSync(ws.dataset, 'utf8').replace('Apache', 'apache');
    writeFileSync(ws.dataset, sameSize);
    utimesSync(ws.dataset, opened.fingerprint.mtimeMs / 1000, opened.fingerprint.mtimeMs / 1000); // same size and mtime: only the hash tells
    const saved = await call('/api/data/save', { id: opened.id, edits: [{ line: 1, example: { messages: [] } }] });
    expect(saved.status).toBe(409);
    expect(saved.json.error.message).toMatch(/changed on disk since it was loaded/);
    expect(readFileSync(ws.dataset, 'utf8')).toBe(sameSize);
  });

  it('keeps CRLF line endings and a missing final newline', async () => {
    const file = join(ws.root, 'data', 'crlf.jsonl');
    writeFileSync(file, '{"a": 1}\r\n{"b": 2}\r\n{"c":  3}');
    const { json: opened } = await call('/api/data/open', { path: 'data/crlf.jsonl' });
    await call('/api/data/save', { id: opened.id, edits: [{ line: 2, example: { b: 20 } }], append: [{ d: 4 }] });
    expect(readFileSync(file, 'utf8')).toBe('{"a": 1}\r\n{"b":20}\r\n{"c":  3}\r\n{"d":4}\r\n');
  });

  it('refuses paths outside the workspace, symlinks included', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ftpipe-outside-'));
    writeFileSync(join(outside, 'secret.jsonl'), '{}\n');
    symlinkSync(outside, join(ws.root, 'data', 'link'));
    for (const path of ['../x.jsonl', join(outside, 'secret.jsonl'), 'data/link/secret.jsonl', '/etc/passwd']) {
      const res = await call('/api/data/open', { path });
      expect(res.status, path).toBe(403);
      expect(res.json.error.code).toBe('STUDIO_PATH_OUTSIDE');
    }
    expect((await call('/api/data/open', { path: 'data/missing.jsonl' })).status).toBe(404);
  });

  it('refuses requests for another Host and non-JSON posts', async () => {
    // fetch() does not let a caller set Host; node:http does (as a DNS-rebinding page's request would carry it).
    const status = await new Promise<number>((resolve, reject) => {
      request(new URL('/api/info', studio.origin), { headers: { host: 'evil.example:80', authorization: `Bearer ${studio.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(status).toBe(403);
    const form = await fetch(new URL('/api/data/open', studio.origin), { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${studio.token}` }, body: '{"path":"data/train.jsonl"}' });
    expect(form.status).toBe(400);
  });
});

describe('views', () => {
  it('run: DAG edges from needs and references, states, metrics and events', async () => {
    const { json } = await call('/api/run');
    const byId = Object.fromEntries(json.stages.map((s: { id: string }) => [s.id, s]));
    expect(byId.upload.needs).toEqual(['validate']);
    expect(byId.train.needs).toEqual(['upload']);
    expect(byId.eval.needs).toEqual(['wait']);
    expect(byId.eval.last).toMatchObject({ state: 'failed' });
    expect(json.fineTunedModel).toBe('ft:local:studio-test:abc123');
    expect(json.metrics.step).toHaveLength(30);
    expect(json.metrics.valid_loss[0]).toBeNull();
    expect(json.metrics.valid_loss[4]).toBeTypeOf('number');
    expect(json.events).toHaveLength(3);
  });

  it('validation and eval reports', async () => {
    const validation = await call('/api/validation');
    expect(validation.json.report.n_examples).toBe(120);
    expect(validation.json.report.histograms.total_tokens.bins.length).toBeGreaterThan(0);
    const evalView = await call('/api/eval');
    expect(evalView.json.stage).toBe('eval');
    expect(evalView.json.report.rows).toHaveLength(3);
  });

  it('serves the front end and its libraries from the package', async () => {
    const headers = { authorization: `Bearer ${studio.token}` };
    const page = await fetch(studio.origin, { headers });
    expect(await page.text()).toContain('importmap');
    for (const path of ['/vendor/preact/dist/preact.module.js', '/vendor/htm/dist/htm.module.js', '/vendor/uplot/dist/uPlot.esm.js', '/app.js']) {
      const res = await fetch(new URL(path, studio.origin), { headers });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
    expect((await fetch(new URL('/vendor/execa/index.js', studio.origin), { headers })).status).toBe(404);
    expect((await fetch(new URL('/..%2Fpackage.json', studio.origin), { headers })).status).toBe(404);
  });
});
