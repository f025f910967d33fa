/**
 * One recipe, six providers: in one workspace, the demo recipe retargeted by its provider line (and, for
 * the open-model platforms, its base model) runs on local, openai, azure, openai-compatible, together and
 * fireworks (the last five against emulator flavours over real HTTP) and gets the same eval scores; the
 * data stages run once and stay cached. Per provider: a lost create response → one job; a SIGKILL while
 * train waits for its create → still one job after the rerun.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, makeProject, repoRoot } from '../helpers/project.js';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';
import type { Flavour } from '../../src/local/routes/flavours.js';
import { startSwitchProxy, type SwitchProxy } from '../hosted/switch-proxy.js';

const TOKEN = 'e2e-emulator-token';
const ACCOUNT = 'acme-labs';
const openaiBase = 'gpt-4o-mini-2024-07-18';

interface Target {
  kind: string;
  flavour?: Flavour;
  /** The recipe's provider line for a server at `url` (the one line that changes). */
  line: (url: string) => string;
  model?: string;
  env: Record<string, string>;
  createRoute?: string;
}

const targets: Target[] = [
  { kind: 'local', line: () => 'provider: { kind: local }', env: {} },
  { kind: 'openai', flavour: 'openai', line: (url) => `provider: { kind: openai, base_url: "${url}" }`, env: { OPENAI_API_KEY: TOKEN }, createRoute: 'POST /v1/fine_tuning/jobs' },
  {
    kind: 'azure',
    flavour: 'azure',
    line: (url) => `provider: { kind: azure, base_url: "${url}", management_url: "${url.replace(/\/v1$/, '')}", resource: emulated, subscription_id: sub-1, resource_group: rg-1 }`,
    env: { AZURE_OPENAI_API_KEY: TOKEN, AZURE_MANAGEMENT_TOKEN: TOKEN },
    createRoute: 'POST /v1/fine_tuning/jobs',
  },
  { kind: 'openai-compatible', flavour: 'openai', line: (url) => `provider: { kind: openai-compatible, base_url: "${url}", api_key_env: EMULATOR_KEY, job_lookup: metadata }`, env: { EMULATOR_KEY: TOKEN }, createRoute: 'POST /v1/fine_tuning/jobs' },
  { kind: 'together', flavour: 'together', line: (url) => `provider: { kind: together, base_url: "${url}" }`, model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', env: { TOGETHER_API_KEY: TOKEN }, createRoute: 'POST /v1/fine-tunes' },
  { kind: 'fireworks', flavour: 'fireworks', line: (url) => `provider: { kind: fireworks, account: ${ACCOUNT}, base_url: "${url}" }`, model: 'accounts/fireworks/models/llama-v3p1-8b-instruct', env: { FIREWORKS_API_KEY: TOKEN }, createRoute: `POST /v1/accounts/${ACCOUNT}/supervisedFineTuningJobs` },
];

const servers: LocalServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

const demo = readFileSync(join(repoRoot, 'pipelines/error-cat.yaml'), 'utf8');
const p = makeProject({});
cpSync(join(repoRoot, 'data'), join(p.root, 'data'), { recursive: true });

/** The demo recipe with its provider line (and base model) for this target. */
function retarget(target: Target, url: string): void {
  let recipe = demo.replace('provider:\n  kind: local\n', `${target.line(url)}\n`);
  if (target.model) recipe = recipe.replace(`model: ${openaiBase}`, `model: ${target.model}`);
  p.write('pipelines/error-cat.yaml', recipe);
}

/** Jobs the provider holds: every flavour keeps one core job file per job (the local kind in the workspace). */
function jobCount(dataDir: string): number {
  const dir = join(dataDir, 'jobs');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0;
}

const scores: Record<string, [number, number]> = {};

describe('one recipe, six providers', () => {
  for (const target of targets) {
    it(`${target.kind}: the demo recipe trains and evaluates; a lost create and a SIGKILL during train each leave one job`, async () => {
      const dataDir = target.flavour ? mkdtempSync(join(tmpdir(), `ftpipe-e2e-${target.kind}-`)) : '';
      const server = target.flavour ? await startLocalServer({ dataDir, token: TOKEN, flavor: target.flavour, flavorOptions: { account: ACCOUNT } }) : undefined;
      if (server) servers.push(server);
      const proxy = server && (await startSwitchProxy(server.url));
      retarget(target, proxy?.url ?? '');
      const counted = () => jobCount(server ? dataDir : join(p.root, '.ftpipe/local-provider'));

      proxy?.set({ kind: 'lose', route: target.createRoute!, times: 1 });
      const first = await p.run(['run', 'pipelines/error-cat.yaml'], { timeout: 240_000, env: target.env });
      expect(first.code, first.stdout + first.stderr).toBe(0);
      if (proxy) expect(proxy.lost()).toBe(1); // the create happened, its answer was lost, the retry found it
      expect(counted()).toBe(1);
      const eval_ = /✓ eval ran\b.*: accuracy base ([\d.]+) → fine-tuned ([\d.]+)/.exec(first.stdout);
      expect(eval_, first.stdout).not.toBeNull();
      scores[target.kind] = [Number(eval_![1]), Number(eval_![2])];
      expect(first.stdout).toMatch(/✓ infer ran\b.*: OpenSSH/);
      if (target.kind !== 'local') expect(first.stdout).toMatch(/• split cached/); // only the provider changed
      // A second training run (another seed, another key), killed while train waits for its create.
      expect(await killDuringTrain(target, proxy, counted)).toBe(2);
      proxy?.set({ kind: 'pass' });
      const rerun = await p.run(['run', 'pipelines/error-cat.yaml', '--set', 'train.seed=8', '--until', 'train'], { timeout: 240_000, env: { ...target.env } });
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/✓ train ran\b.*adopted/);
      expect(counted()).toBe(2);
      await proxy?.close();
    }, 600_000);
  }

  it('gets the same eval scores on every provider', () => {
    expect(Object.keys(scores)).toHaveLength(targets.length);
    for (const [kind, [base, tuned]] of Object.entries(scores)) {
      expect(base, kind).toBe(0);
      // Fireworks' create request takes no seed (its emulator trains with its own), so its run shuffles
      // the examples differently: the same data and hyperparameters, within two validation answers.
      if (kind === 'fireworks') expect(Math.abs(tuned - scores.local[1]), kind).toBeLessThanOrEqual(2 / 62 + 1e-9);
      else expect([kind, tuned]).toEqual([kind, scores.local[1]]);
    }
    expect(scores.local[1]).toBeGreaterThan(0.6);
  });
});

/** Runs train with a new key and SIGKILLs the CLI once the job exists on the provider but before its create answer arrives. */
async function killDuringTrain(target: Target, proxy: SwitchProxy | undefined, counted: () => number): Promise<number> {
  proxy?.set({ kind: 'hold', route: target.createRoute! });
  const child = execa('node', [cliPath, 'run', 'pipelines/error-cat.yaml', '--set', 'train.seed=8', '--until', 'train'], { cwd: p.root, reject: false, env: { CI: 'true', ...target.env }, stdin: 'ignore' });
  // The in-process local provider cannot be fronted by a proxy: kill as soon as its job file exists.
  await (proxy ? proxy.held() : until(() => counted() === 2));
  child.kill('SIGKILL');
  await child;
  return counted();
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
