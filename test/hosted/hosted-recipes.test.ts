/**
 * The hosted kinds from a user's side: `ftpipe serve --flavor`, `lint` checking each kind's block,
 * `plan` listing what serving a fine-tune costs per minute, and the catalog's plan-time warnings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, makeProject, repoRoot } from '../helpers/project.js';
import type { LocalServer } from '../../src/local/server.js';
import { deprecationWarnings } from '../../src/remote/deprecation.js';
import { catalogFor, requiresMaxCompletionTokens } from '../../src/models/catalog.js';
import { ACCOUNT, TOKEN, fireworks8b, startEmulator, together8b } from './emulator-fixture.js';

describe('ftpipe serve --flavor', () => {
  it.each([
    ['together', /Together AI emulator: (\S+)/, 'provider: { kind: together, base_url: '],
    ['fireworks', /Fireworks AI emulator: (\S+)/, 'provider: { kind: fireworks, account: team-a, base_url: '],
  ])('%s: prints the provider block to use, answers in the vendor\'s shape, stops on SIGINT', async (flavor, pattern, block) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-serve-flavor-'));
    const child = execa('node', [cliPath, 'serve', '--port', '0', '--data-dir', dataDir, '--flavor', flavor, '--account', 'team-a', '--token-env', 'SERVE_TOKEN'], { env: { SERVE_TOKEN: 'tok-0123456789abcdef0123' }, buffer: false, reject: false });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = pattern.exec(out);
        if (match && out.includes('Ctrl-C')) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`serve exited early: ${out}`)));
    });
    expect(out).toContain(block);
    const headers = { authorization: 'Bearer tok-0123456789abcdef0123' };
    if (flavor === 'together') expect(await (await fetch(`${url}/models`, { headers })).json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: together8b, type: 'chat' })]));
    else expect((await (await fetch(`${url}/v1/accounts/fireworks/models/llama-v3p1-8b-instruct`, { headers })).json()).name).toBe(fireworks8b);
    expect((await fetch(`${url}/v1/accounts/other/datasets`, { headers })).status).toBe(flavor === 'together' ? 404 : 403);
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(0);
  });
});

describe('lint checks each hosted kind\'s provider block', () => {
  it('names a misspelt Together field at file:line:col with a suggestion', async () => {
    const p = makeProject({ 'r.yaml': 'provider:\n  kind: together\n  traning_type: lora\nstages:\n  a:\n    uses: exec\n    with: { cmd: [echo] }\n' });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:3:3: error: unknown key "traning_type" in provider');
    expect(r.stderr).toContain('did you mean "training_type"?');
  });

  it('requires the Fireworks account and checks field values', async () => {
    const p = makeProject({ 'r.yaml': 'provider:\n  kind: fireworks\n  lora_rank: many\nstages:\n  a:\n    uses: exec\n    with: { cmd: [echo] }\n' });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/r\.yaml:\d+:\d+: error: .*account/);
    expect(r.stderr).toMatch(/r\.yaml:3:14: error: .*lora_rank/);
  });
});

describe('plan lists what serving a fine-tune costs per minute', () => {
  let together: LocalServer;
  let fireworks: LocalServer;
  beforeAll(async () => {
    together = await startEmulator('together');
    fireworks = await startEmulator('fireworks');
  });
  afterAll(async () => {
    await together.close();
    await fireworks.close();
  });

  const demo = (line: string, model: string) => {
    const p = makeProject({});
    cpSync(join(repoRoot, 'data'), join(p.root, 'data'), { recursive: true });
    const recipe = readFileSync(join(repoRoot, 'pipelines/error-cat.yaml'), 'utf8').replace('provider:\n  kind: local', line).replace('model: gpt-4o-mini-2024-07-18', `model: ${model}`);
    p.write('pipelines/error-cat.yaml', recipe);
    return p;
  };

  it('fireworks: the on-demand deployment of the fine-tune, at its GPU-hour price', async () => {
    const p = demo(`provider: { kind: fireworks, account: ${ACCOUNT}, base_url: "${fireworks.url}" }`, fireworks8b);
    const plan = await p.run(['plan', 'pipelines/error-cat.yaml', '--json'], { env: { FIREWORKS_API_KEY: TOKEN } });
    expect(plan.code).toBe(0);
    const { serving } = JSON.parse(plan.stdout);
    expect(serving).toEqual([expect.objectContaining({ model: fireworks8b, stages: ['eval', 'infer'], usdPerMinute: 3.89 / 60 })]);
    expect(serving[0].text).toMatch(/Fireworks on-demand deployment \(1× NVIDIA_A100_80GB, up to 1 replica\(s\)\).*scales to zero.*≈ \$0\.0648\/min \(\$3\.89\/h\).*teardown: true/);
  });

  it('together: a dedicated endpoint is priced from /hardware; a serverless-LoRA base lists nothing', async () => {
    const dedicated = demo(`provider: { kind: together, base_url: "${together.url}", serving: dedicated }`, together8b);
    const plan = JSON.parse((await dedicated.run(['plan', 'pipelines/error-cat.yaml', '--json'], { env: { TOGETHER_API_KEY: TOKEN } })).stdout);
    expect(plan.serving).toEqual([expect.objectContaining({ model: together8b, usdPerMinute: 0.055 })]);
    expect(plan.serving[0].text).toContain('Together dedicated endpoint (1x_nvidia_h100_80gb_sxm)');
    const serverless = demo(`provider: { kind: together, base_url: "${together.url}" }`, together8b);
    expect(JSON.parse((await serverless.run(['plan', 'pipelines/error-cat.yaml', '--json'], { env: { TOGETHER_API_KEY: TOKEN } })).stdout).serving).toEqual([]);
    const text = await dedicated.run(['plan', 'pipelines/error-cat.yaml'], { env: { TOGETHER_API_KEY: TOKEN } });
    expect(text.stdout).toMatch(/^serving: a Together dedicated endpoint .* ≈ \$0\.0550\/min \(\$3\.30\/h\) while it runs \(eval, infer\)/m);
  });

  it('--max-cost: Together prices the job once its file is uploaded (a fresh run is not refused for it), and a dedicated endpoint counts its first hour', async () => {
    const env = { TOGETHER_API_KEY: TOKEN };
    const serverless = demo(`provider: { kind: together, base_url: "${together.url}" }`, together8b);
    const plan = JSON.parse((await serverless.run(['plan', 'pipelines/error-cat.yaml', '--json'], { env })).stdout);
    expect(plan.spend.find((l: { stage: string }) => l.stage === 'train')).not.toHaveProperty('costUsd');
    const cheap = await serverless.run(['run', 'pipelines/error-cat.yaml', '--max-cost', '5', '--until', 'train'], { env, timeout: 240_000 });
    expect(cheap.code, cheap.stdout + cheap.stderr).toBe(0);
    expect(cheap.stdout).toMatch(/✓ train ran\b/);
    const dedicated = demo(`provider: { kind: together, base_url: "${together.url}", serving: dedicated }`, together8b);
    const refused = await dedicated.run(['run', 'pipelines/error-cat.yaml', '--max-cost', '1'], { env, timeout: 240_000 });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/MAX_COST_EXCEEDED|above --max-cost 1/);
    expect(refused.stderr).toMatch(/\$3\.30/);
  });
});

describe('catalog and cut-offs per provider', () => {
  it('each provider has its fine-tunable models; reasoning models are known', () => {
    expect(catalogFor('together').map((m) => m.id)).toContain(together8b);
    expect(catalogFor('fireworks').map((m) => m.id)).toContain(fireworks8b);
    expect(catalogFor('openai').map((m) => m.id)).toContain('gpt-4.1-mini-2025-04-14');
    expect(['o3', 'o4-mini-2025-04-16', 'gpt-5-mini', 'ft:o4-mini-2025-04-16:org::x'].every(requiresMaxCompletionTokens)).toBe(true);
    expect(['gpt-4o-mini', 'gpt-4.1', 'omni', 'local'].some(requiresMaxCompletionTokens)).toBe(false);
  });

  it('the 2027-01-06 cut-off also applies to an openai-compatible base URL that is OpenAI\'s', () => {
    const atOpenAI = deprecationWarnings({ identity: { kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1' }, model: 'gpt-4o-mini-2024-07-18', today: '2026-12-20' });
    expect(atOpenAI.join('\n')).toContain('provider openai-compatible (https://api.openai.com/v1, which is OpenAI): OpenAI stops creating self-serve fine-tuning jobs on 2027-01-06 (in 17 days)');
    expect(atOpenAI.join('\n')).toContain('model gpt-4o-mini-2024-07-18: shuts down on 2027-01-14');
    expect(deprecationWarnings({ identity: { kind: 'openai-compatible', baseUrl: 'https://vllm.internal/v1' }, model: 'gpt-4o-mini-2024-07-18', today: '2026-12-20' })).toEqual([]);
    expect(deprecationWarnings({ identity: { kind: 'openai', baseUrl: 'http://127.0.0.1:8787/v1' }, today: '2027-02-01' })).toEqual([]); // an emulator on this machine
  });

  it('warns when an open-model platform is asked for a model it does not fine-tune, and on its own dates', () => {
    const [hint] = deprecationWarnings({ identity: { kind: 'together' }, model: 'gpt-4o-mini-2024-07-18', today: '2026-12-20' });
    expect(hint).toMatch(/model gpt-4o-mini-2024-07-18: not in ftpipe's catalog of models together fine-tunes \(as of .*; e\.g\. meta-llama\//);
    expect(deprecationWarnings({ identity: { kind: 'together' }, model: together8b, today: '2026-12-20' })).toEqual([]);
    const dated = deprecationWarnings({ identity: { kind: 'fireworks' }, model: fireworks8b, today: '2027-03-01', providerModels: [{ id: fireworks8b, shutdownDate: '2027-04-15' }] });
    expect(dated).toEqual([`model ${fireworks8b}: shuts down on 2027-04-15 (per the provider, in 45 days)`]);
  });
});
