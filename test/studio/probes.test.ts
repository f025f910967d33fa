/**
 * Probes of `ftpipe studio`'s server as another local process or a web page would try it: no or a wrong
 * token, a foreign Host, cross-origin writes, `.env` and the rest of what it must never serve or write
 * (recipes, the lock, the store, dotfiles, through symlinks too), stage outputs (read-only; "save as" a
 * workspace file, and the recipe pointed at it), malformed and oversized bodies, idle connections.
 * None gets a 500, none leaks a byte of a secret, and the server keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStudio, type RunningStudio } from '../../src/studio/server.js';
import { runCli } from '../helpers/project.js';
import { idleConnections, rawRequest } from '../helpers/raw-http.js';
import { logSourceExamples } from '../local/helpers/loghub-examples.js';

const SECRET = 'sk-proj-studioprobe0123456789abcdefSECRET';
const RECIPE = `name: probe
# the split reads the cleaned data
stages:
  clean:
    uses: clean
    with:
      input: data/train.jsonl
  split:
    uses: split
    with:
      input: \${{ stages.clean.outputs.data }}
      validation_ratio: 0.2
`;

let root: string;
let studio: RunningStudio;
const lines = logSourceExamples({ perSystem: 4 }).map((e) => JSON.stringify(e) + '\n');

async function call(path: string, options: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {}): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = { ...(options.auth === false ? {} : { authorization: `Bearer ${studio.token}` }), ...options.headers };
  const init: RequestInit = options.body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(options.body) };
  const res = await fetch(new URL(path, studio.origin), { ...init, redirect: 'manual' });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ftpipe-studio-probe-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'pipelines'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'pipelines', 'probe.yaml'), RECIPE);
  writeFileSync(join(root, 'data', 'train.jsonl'), lines.join(''));
  writeFileSync(join(root, '.env'), `OPENAI_API_KEY=${SECRET}\n`);
  writeFileSync(join(root, '.env.jsonl'), `{"key": "${SECRET}"}\n`);
  writeFileSync(join(root, 'ftpipe.lock'), `# ${SECRET}\nschema: 1\npipelines: {}\n`);
  mkdirSync(join(root, '.ftpipe', 'out', 'pipelines', 'probe.yaml', 'clean'), { recursive: true });
  writeFileSync(join(root, '.ftpipe', 'out', 'pipelines', 'probe.yaml', 'clean', 'data.jsonl'), lines.slice(0, 10).join(''));
  mkdirSync(join(root, '.ftpipe', 'objects', 'ab'), { recursive: true });
  writeFileSync(join(root, '.ftpipe', 'objects', 'ab', 'cdef.jsonl'), `{"key": "${SECRET}"}\n`);
  mkdirSync(join(root, '.ftpipe', 'local-provider', 'jobs'), { recursive: true });
  writeFileSync(join(root, '.ftpipe', 'local-provider', 'jobs', 'ftjob-x.events.jsonl'), `{"key": "${SECRET}"}\n`);
  symlinkSync(join(root, '.env'), join(root, 'data', 'leak.jsonl'));
  studio = await startStudio({ workspace: root, recipe: join(root, 'pipelines', 'probe.yaml'), port: 0 });
});
afterAll(async () => studio?.close());

describe('token', () => {
  it('refuses every request without the token: JSON for the API, a page for a browser', async () => {
    const api = await call('/api/info', { auth: false });
    expect(api.status).toBe(401);
    expect(api.json.error.code).toBe('STUDIO_TOKEN');
    const page = await call('/', { auth: false, headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(page.text).toContain('open the URL that `ftpipe studio` printed');
    expect((await call('/app.js', { auth: false })).status).toBe(401);
    expect((await call('/api/info', { auth: false, headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call('/?token=wrong', { auth: false })).status).toBe(401);
  });

  it('turns the token of the printed URL into a cookie for this studio and drops it from the address', async () => {
    const first = await fetch(studio.url + '#/data', { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^ftpipe_studio_${new URL(studio.origin).port}=${studio.token}; Path=/; HttpOnly; SameSite=Strict`));
    const next = await fetch(studio.origin, { headers: { cookie: cookie.split(';')[0] } });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('importmap');
  });

  it('accepts a cookie-carrying write only from its own page (Origin)', async () => {
    const cookie = `ftpipe_studio_${new URL(studio.origin).port}=${studio.token}`;
    const body = { path: 'data/train.jsonl' };
    expect((await call('/api/data/open', { auth: false, body, headers: { cookie } })).status).toBe(403);
    const foreign = await call('/api/data/open', { auth: false, body, headers: { cookie, origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('STUDIO_CROSS_ORIGIN');
    const sameSite = await call('/api/info', { auth: false, headers: { cookie, 'sec-fetch-site': 'same-site' } });
    expect(sameSite.status).toBe(403);
    expect((await call('/api/data/open', { auth: false, body, headers: { cookie, origin: studio.origin.replace(/\/$/, '') } })).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const res = await rawRequest(studio.origin, { method: 'GET', path: '/api/info', headers: { host: 'rebind.example:80', authorization: `Bearer ${studio.token}` } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('STUDIO_BAD_HOST');
  });
});

describe('what the studio never serves or writes', () => {
  it('refuses .env, dotfiles, the lock, recipes, the store and provider state, through symlinks too', async () => {
    const paths = ['.env', '.env.jsonl', 'data/leak.jsonl', 'ftpipe.lock', 'pipelines/probe.yaml', '.ftpipe/objects/ab/cdef.jsonl', '.ftpipe/local-provider/jobs/ftjob-x.events.jsonl', '.git/config', './.env', 'data/../.env'];
    for (const path of paths) {
      const res = await call('/api/data/open', { body: { path } });
      expect([403, 404], path).toContain(res.status);
      expect(res.text, path).not.toContain(SECRET);
    }
    const info = await call('/api/info');
    expect(info.text).not.toContain(SECRET);
    expect(info.json.files.map((f: { path: string }) => f.path).sort()).toEqual(['.ftpipe/out/pipelines/probe.yaml/clean/data.jsonl', 'data/train.jsonl']);
  });

  it('shows a stage output read-only and never saves over it', async () => {
    const { json: opened } = await call('/api/data/open', { body: { path: '.ftpipe/out/pipelines/probe.yaml/clean/data.jsonl' } });
    expect(opened).toMatchObject({ access: 'view', producer: { stage: 'clean', output: 'data' }, lines: 10 });
    const saved = await call('/api/data/save', { body: { id: opened.id, edits: [{ line: 1, example: { messages: [] } }] } });
    expect(saved.status).toBe(403);
    expect(saved.json.error).toMatchObject({ code: 'STUDIO_READ_ONLY', hint: expect.stringContaining('Save as') });
    expect(readFileSync(join(root, '.ftpipe', 'out', 'pipelines', 'probe.yaml', 'clean', 'data.jsonl'), 'utf8')).toBe(lines.slice(0, 10).join(''));
  });

  it('saves a stage output\'s edits as a new workspace file and points the recipe at it', async () => {
    const { json: opened } = await call('/api/data/open', { body: { path: '.ftpipe/out/pipelines/probe.yaml/clean/data.jsonl' } });
    const fixed = { messages: [{ role: 'user', content: 'fixed' }, { role: 'assistant', content: 'Linux' }] };
    const edits = [{ line: 2, example: fixed }];
    for (const path of ['.ftpipe/out/pipelines/probe.yaml/clean/fixed.jsonl', '.env.jsonl', 'pipelines/probe.yaml', 'data/train.jsonl', '../outside.jsonl']) {
      const refused = await call('/api/data/save-as', { body: { id: opened.id, edits, path, pointRecipe: true } });
      expect([403, 409], path).toContain(refused.status);
    }
    expect(readFileSync(join(root, 'data', 'train.jsonl'), 'utf8')).toBe(lines.join(''));
    const saved = await call('/api/data/save-as', { body: { id: opened.id, edits, path: 'data/clean-fixed.jsonl', pointRecipe: true } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json).toMatchObject({ path: 'data/clean-fixed.jsonl', access: 'edit', pointed: [{ stage: 'split', line: 11 }] });
    const written = readFileSync(join(root, 'data', 'clean-fixed.jsonl'), 'utf8').split(/(?<=\n)/);
    expect(written).toEqual([lines[0], JSON.stringify(fixed) + '\n', ...lines.slice(2, 10)]);
    expect(readFileSync(join(root, 'pipelines', 'probe.yaml'), 'utf8')).toBe(RECIPE.replace('${{ stages.clean.outputs.data }}', '"data/clean-fixed.jsonl"'));
    const lint = await runCli(['lint', 'pipelines/probe.yaml'], root);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
  });
});

describe('known keys in what the studio serves', () => {
  it('a key pasted into an example, or echoed in a provider error, is redacted in every API answer (issue 10 item 4)', async () => {
    writeFileSync(join(root, 'data', 'pasted.jsonl'), JSON.stringify({ messages: [{ role: 'user', content: `my key is ${SECRET}` }, { role: 'assistant', content: 'Linux' }] }) + '\n');
    const { json: opened, text } = await call('/api/data/open', { body: { path: 'data/pasted.jsonl' } });
    expect(text).not.toContain(SECRET);
    const page = await call(`/api/data/page?id=${opened.id}&offset=0&limit=10`);
    expect(page.status, page.text).toBe(200);
    expect(page.text).not.toContain(SECRET);
    expect(page.text).toContain('[redacted:OPENAI_API_KEY]');
    // The file itself is the user's: never rewritten by reading it.
    expect(readFileSync(join(root, 'data', 'pasted.jsonl'), 'utf8')).toContain(SECRET);
  });
});

describe('malformed requests', () => {
  it('answers bad JSON, oversized bodies, unknown routes and bad paths with 4xx, never 500', async () => {
    const auth = { authorization: `Bearer ${studio.token}`, 'content-type': 'application/json' };
    const bad = await rawRequest(studio.origin, { method: 'POST', path: '/api/data/open', headers: auth, body: '{"path": ' });
    expect(bad.status).toBe(400);
    const flood = { chunk: Buffer.alloc(1 << 20, 'x'), maxBytes: 512 * 1024 * 1024 };
    const big = await rawRequest(studio.origin, { method: 'POST', path: '/api/data/save', headers: auth, body: '{"id": "', flood });
    expect(big.status).toBe(413);
    for (const path of ['/%E0%A4%A', '/..%2F..%2Fetc%2Fpasswd', '/vendor/preact/..%2F..%2F..%2Fpackage.json', '/api/nothing']) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
    }
    expect((await call('/api/data/page?id=1&offset=-1')).status).toBe(400);
  });

  it('keeps serving with 200 idle connections open', async () => {
    const sockets = await idleConnections(studio.origin, 200);
    expect((await call('/api/info')).status).toBe(200);
    for (const socket of sockets) socket.destroy();
  });
});

describe('ftpipe studio (the CLI)', () => {
  it('refuses a non-loopback --host without a chosen token', async () => {
    const result = await runCli(['studio', '--host', '0.0.0.0', '--port', '0'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--token-env');
    expect(existsSync(join(root, 'data', 'clean-fixed.jsonl'))).toBe(true);
  });
});
