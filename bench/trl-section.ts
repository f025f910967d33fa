/**
 * The trl benchmark: the demo recipe with `--provider trl` (the tiny model trained through TRL on this machine's
 * CPUs), end to end through the CLI — wall time, the training job's own time and the held-out accuracy of base
 * and fine-tuned — next to the same recipe on the local provider measured in the same run (the peer).
 * Targets on the 2-core CI-class machine: ≤ 5 minutes, fine-tuned accuracy ≥ 0.9.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './data-sections.js';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const cli = join(repo, 'bin', 'ftpipe.js');

interface DemoRun {
  seconds: number;
  base: number;
  fineTuned: number;
}

function runDemo(root: string, provider: string): DemoRun {
  mkdirSync(join(root, '.git'), { recursive: true });
  cpSync(join(repo, 'data'), join(root, 'data'), { recursive: true });
  cpSync(join(repo, 'pipelines', 'error-cat.yaml'), join(root, 'pipelines', 'error-cat.yaml'));
  const started = performance.now();
  const out = execFileSync('node', [cli, 'run', 'pipelines/error-cat.yaml', '--provider', provider], { cwd: root, env: { ...process.env, CI: 'true' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  const scores = /✓ eval ran .*: accuracy base ([\d.]+) → fine-tuned ([\d.]+)/.exec(out);
  if (!scores) throw new Error(`no eval line in the ${provider} run:\n${out}`);
  return { seconds, base: Number(scores[1]), fineTuned: Number(scores[2]) };
}

export async function trlSection(options: BenchOptions): Promise<void> {
  const { choosePython } = await import('../src/providers/trl/python-env.js');
  try {
    choosePython({ env: process.env });
  } catch (error) {
    console.log(`trl: skipped (${(error as Error).message}); run \`npx ftpipe trl setup\` first`);
    return;
  }
  const local = runDemo(join(options.dir, 'trl-peer-local'), 'local');
  const root = join(options.dir, 'trl-demo');
  const trl = runDemo(root, 'trl');
  const [job] = readdirSync(join(root, '.ftpipe', 'trl', 'jobs'));
  const state = JSON.parse(readFileSync(join(root, '.ftpipe', 'trl', 'jobs', job, 'job.json'), 'utf8'));
  const events = readFileSync(join(root, '.ftpipe', 'trl', 'jobs', job, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const done = events.find((e) => e.type === 'done');
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `trl demo (tiny model, ${done.steps} TRL steps, ${done.trained_tokens.toLocaleString('en-US')} tokens): ${(trl.seconds / 60).toFixed(1)} min end to end ` +
      `[target ≤ 5 min: ${verdict(trl.seconds <= 300)}], training job ${state.finishedAt - state.createdAt}s (training loop ${Math.round(done.runtime_s)}s, ${Math.round(done.tokens_per_second)} tokens/s); ` +
      `held-out accuracy base ${trl.base} → fine-tuned ${trl.fineTuned} [target ≥ 0.9: ${verdict(trl.fineTuned >= 0.9)}]; ` +
      `peer: the local provider ran the same recipe in ${local.seconds.toFixed(1)} s (trl/local ${(trl.seconds / local.seconds).toFixed(1)}×), fine-tuned accuracy ${local.fineTuned}`,
  );
}
