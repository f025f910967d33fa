/**
 * Keys never reach the recipe's outputs, the lock, the store, logs, reports, events or the terminal:
 * --set and env interpolation are checked on the final params; a provider reply that echoes the key is
 * redacted everywhere; exec commands get no secrets unless `pass_env` names them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, type Project } from '../helpers/project.js';
import { writeTrainingFile } from '../remote/local-fixture.js';

const OPENAI_KEY = 'sk-proj-' + 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'.repeat(2);
const GATEWAY_KEY = 'gw-7f3a9c1e5b2d8f4a6c0e9b1d3f5a7c9e'; // not key-shaped: only its variable says it is a secret

const execRecipe = `stages:
  x:
    uses: exec
    with:
      cmd: [sh, -c, "echo ok > x.txt"]
      env: { PROMPT: "hello" }
      outs: { text: x.txt }
`;

/** Every file under the workspace (except .git) that contains `needle`, relative to the root. */
function filesContaining(root: string, needle: string, dir = root): string[] {
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === '.git') continue;
    if (entry.isDirectory()) hits.push(...filesContaining(root, needle, path));
    else if (statSync(path).size < 50e6 && readFileSync(path, 'latin1').includes(needle)) hits.push(path.slice(root.length + 1));
  }
  return hits;
}

describe('a key in a recipe value is refused however it arrives', () => {
  it('through --set: a secret env interpolation, a literal key, or the value of an innocently named variable', async () => {
    const p = makeProject({ 'r.yaml': execRecipe });
    const env = { OPENAI_API_KEY: OPENAI_KEY, INNOCENT: OPENAI_KEY };
    const viaEnv = await p.run(['run', 'r.yaml', '--set', 'x.env.PROMPT=${{ env.OPENAI_API_KEY }}'], { env });
    expect(viaEnv.stderr).toMatch(/^--set: error: --set x\.env\.PROMPT: stages\.x\.with\.env\.PROMPT interpolates \$\{OPENAI_API_KEY\}, which looks like a secret/);
    expect(viaEnv.code).toBe(2);
    const literal = await p.run(['run', 'r.yaml', '--set', `x.env.PROMPT=${OPENAI_KEY}`], { env });
    expect(literal.stderr).toMatch(/--set x\.env\.PROMPT: stages\.x\.with\.env\.PROMPT holds what looks like an API key/);
    expect(literal.code).toBe(2);
    const innocent = await p.run(['run', 'r.yaml', '--set', 'x.env.PROMPT=${{ env.INNOCENT }}'], { env });
    expect(innocent.stderr).toMatch(/^r\.yaml:\d+:\d+: error: stages\.x\.with\.env\.PROMPT contains the value of OPENAI_API_KEY/);
    expect(innocent.code).toBe(2);
    for (const r of [viaEnv, literal, innocent]) expect(r.stdout + r.stderr).not.toContain(OPENAI_KEY);
    expect(p.exists('ftpipe.lock')).toBe(false);
    expect(filesContaining(p.root, OPENAI_KEY)).toEqual([]);
  });

  it('${{ env.X }} reads the workspace .env too, as the hint says', async () => {
    const p = makeProject({ 'r.yaml': execRecipe.replace('"hello"', '"${{ env.GREETING }}"'), '.env': 'GREETING=bonjour\n' });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(p.read('ftpipe.lock')).toContain('PROMPT: bonjour');
  });
});

describe('a provider that echoes the key in its error', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    // A gateway that quotes the credential back, as some do in their 401 body.
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const recipe = () => `provider: { kind: openai-compatible, base_url: "${baseUrl}", api_key_env: GATEWAY_AUTH }
stages:
  upload:
    uses: upload
    with: { input: data/train.jsonl }
`;

  it('is redacted on stdout, stderr (also --verbose), --json events, the run record and every stored file', async () => {
    const p = makeProject({ '.env': `GATEWAY_AUTH=${GATEWAY_KEY}\n` });
    p.write('r.yaml', recipe());
    mkdirSync(join(p.root, 'data'));
    writeTrainingFile(join(p.root, 'data'));
    const plain = await p.run(['--verbose', 'run', 'r.yaml']);
    expect(plain.code).toBe(1);
    expect(plain.stdout + plain.stderr).toContain('Incorrect API key provided: Bearer [redacted:GATEWAY_AUTH]');
    const json = await p.run(['run', 'r.yaml', '--json']);
    expect(json.stdout).toContain('[redacted:GATEWAY_AUTH]');
    for (const r of [plain, json]) expect(r.stdout + r.stderr).not.toContain(GATEWAY_KEY);
    expect(p.read('.ftpipe/runs/last.json')).toContain('Bearer [redacted:GATEWAY_AUTH]');
    expect(filesContaining(p.root, GATEWAY_KEY)).toEqual(['.env']);
  });
});

describe('exec and secrets', () => {
  const printEnv = (passEnv = '') => `stages:
  show:
    uses: exec
    with:
      cmd: [sh, -c, "env | sort > env.txt; echo \\"hf=$HF_TOKEN openai=$OPENAI_API_KEY\\""]
      outs: { env: env.txt }${passEnv}
`;

  it('the command gets no secret variables; its log and outs never store a known key', async () => {
    const p = makeProject({ 'r.yaml': printEnv(), '.env': 'HF_TOKEN=hf_localtokenfromdotenv1234567890abcd\n' });
    const run = await p.run(['run', 'r.yaml'], { env: { OPENAI_API_KEY: OPENAI_KEY, MY_SERVICE_PASSWORD: 'hunter2hunter2', PLAIN_SETTING: 'visible' } });
    expect(run.code, run.stderr).toBe(0);
    const seen = p.read('.ftpipe/out/r.yaml/show/env');
    expect(seen).toContain('PLAIN_SETTING=visible');
    expect(seen).not.toMatch(/OPENAI_API_KEY|MY_SERVICE_PASSWORD|HF_TOKEN/);
    expect(p.read('.ftpipe/out/r.yaml/show/log.log')).toBe('hf= openai=');
    expect(filesContaining(p.root, OPENAI_KEY)).toEqual([]);
  });

  it('pass_env hands a named secret (from .env) to the command, which still never lands in a log or an out', async () => {
    const token = 'hf_localtokenfromdotenv1234567890abcd';
    const p = makeProject({ 'r.yaml': printEnv('\n      pass_env: [HF_TOKEN]'), '.env': `HF_TOKEN=${token}\n` });
    const run = await p.run(['run', 'r.yaml'], { env: { OPENAI_API_KEY: OPENAI_KEY } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/show: warning: output "env" contained the value of HF_TOKEN; replaced it by \[redacted:…\] before storing/);
    expect(p.read('.ftpipe/out/r.yaml/show/log.log')).toBe('hf=[redacted:HF_TOKEN] openai=');
    expect(p.read('.ftpipe/out/r.yaml/show/env')).toContain('HF_TOKEN=[redacted:HF_TOKEN]');
    expect(filesContaining(p.root, token)).toEqual(['.env']); // the tracked out in the workspace shows the stored (redacted) version
    expect(p.read('ftpipe.lock')).toContain('- HF_TOKEN');
  });
});
