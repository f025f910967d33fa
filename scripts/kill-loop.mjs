#!/usr/bin/env node
/**
 * The crash test anyone can run (needs `npm run build`):
 *   node scripts/kill-loop.mjs [--cycles 4] [--kills 6] [--seed 1] [--keep]
 * A small recipe (ingest → split → upload → train → wait → eval, plus an exec stage with a folder out)
 * runs on the local provider. Each cycle changes the data and a training param, then SIGKILLs `ftpipe
 * run` at random moments inside upload / train / wait / eval, resumes, and finally lets a run finish.
 * Then it checks what must never happen: a stored object whose content does not match its digest, a
 * lock output missing from the store, a file uploaded twice, two jobs for one stage key, a stray temp
 * file, a partial out, a final rerun that does anything. Prints a JSON summary; exit 1 on any finding.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const repo = join(fileURLToPath(import.meta.url), '..', '..');
const cli = join(repo, 'bin', 'ftpipe.js');
const { digestFile, digestTree } = await import(join(repo, 'dist/src/store/digest.js'));
const { values: args } = parseArgs({ options: { cycles: { type: 'string', default: '4' }, kills: { type: 'string', default: '6' }, seed: { type: 'string', default: '1' }, keep: { type: 'boolean', default: false } } });
let seed = Number(args.seed);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
const TARGETS = ['upload', 'train', 'wait', 'eval'];

const recipe = `name: kill-loop
provider:
  kind: local
  faults: { stepDelayMs: 15 }
stages:
  logs:
    uses: ingest-csv
    with:
      input: [data/loghub-Apache_2k.log_structured.csv, data/loghub-OpenSSH_2k.log_structured.csv]
      file_pattern: '^loghub-(?<system>[A-Za-z]+)_'
      sys_prompt: Which system wrote this log line?
      user: '{Content}'
      assistant: '{system}'
      limit_per_file: 20
  split:
    uses: split
    with: { input: "\${{ stages.logs.outputs.data }}", validation_ratio: 0.25, seed: 7 }
  upload:
    uses: upload
    with: { input: "\${{ stages.split.outputs.train }}" }
  train:
    uses: train
    with: { model: gpt-4o-mini-2024-07-18, training_file: "\${{ stages.upload.outputs.file_id }}", n_epochs: 2, seed: 7 }
  wait:
    uses: wait
    with: { job_id: "\${{ stages.train.outputs.job_id }}" }
  samples:
    uses: eval-convert
    with: { input: "\${{ stages.split.outputs.validation }}", metric: classification }
  eval:
    uses: eval
    with:
      samples: "\${{ stages.samples.outputs.data }}"
      models: [{ id: "\${{ stages.wait.outputs.fine_tuned_model }}", label: fine-tuned }]
      metric: classification
      max_tokens: 8
      temperature: 0
  shards:
    uses: exec
    with:
      cmd: [sh, -c, "rm -rf shards; mkdir -p shards; split -l 5 \\"$0\\" shards/part-", "\${{ stages.split.outputs.train }}"]
      outs: { shards: shards/ }
`;

/** Runs `ftpipe run`; kills it with SIGKILL shortly after `target` starts (or at a random moment). */
function runOnce(root, sets, target) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', 'r.yaml', ...sets.flatMap((s) => ['--set', s])], { cwd: root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let killedIn;
    const kill = (stage) => {
      if (killedIn || child.exitCode !== null) return;
      killedIn = stage;
      child.kill('SIGKILL');
    };
    let armed = false;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (!target || armed) return;
      // Inside the target stage; or, when it is already done (cached), inside whichever stage runs next.
      const inTarget = new RegExp(`^  ${target}: will run`, 'm').test(output);
      const next = new RegExp(`^[•✓↺-] ${target} `, 'm').test(output) && /^  ([\w-]+): will run/m.exec(output.slice(output.search(new RegExp(`^[•✓↺-] ${target} `, 'm'))));
      if (!inTarget && !next) return;
      armed = true;
      setTimeout(() => kill(inTarget ? target : next[1]), random() * (target === 'wait' ? 1500 : 400));
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      resolve({ code, killedIn, output });
    });
  });
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === '.git') continue;
    yield { path, entry };
    if (entry.isDirectory() && !entry.name.endsWith('.d')) yield* walk(path);
  }
}

async function findings(root) {
  const problems = [];
  const objects = join(root, '.ftpipe/objects');
  for (const prefix of existsSync(objects) ? readdirSync(objects) : []) {
    for (const name of readdirSync(join(objects, prefix))) {
      if (name.startsWith('.')) continue;
      const path = join(objects, prefix, name);
      const expected = `sha256:${prefix}${name.replace(/\.d$/, '')}`;
      const actual = name.endsWith('.d') ? (await digestTree(path)).digest : (await digestFile(path)).digest;
      if (actual !== expected) problems.push(`stored object ${prefix}/${name} does not match its digest`);
    }
  }
  const { parse } = await import('yaml');
  const lock = parse(readFileSync(join(root, 'ftpipe.lock'), 'utf8'));
  for (const [id, entry] of Object.entries(lock.pipelines['r.yaml'].stages)) {
    for (const [name, out] of Object.entries(entry.outputs)) {
      if ('value' in out) continue;
      const hex = out.digest.slice(7);
      if (!existsSync(join(objects, hex.slice(0, 2), hex.slice(2) + (out.kind === 'dir' ? '.d' : '')))) problems.push(`lock output ${id}.${name} is not in the store`);
    }
  }
  const files = new Map();
  for (const f of readdirSync(join(root, '.ftpipe/local-provider/files')).filter((n) => n.endsWith('.json'))) {
    const { file } = JSON.parse(readFileSync(join(root, '.ftpipe/local-provider/files', f), 'utf8'));
    if (file.purpose === 'fine-tune') files.set(file.filename, (files.get(file.filename) ?? 0) + 1);
  }
  for (const [name, n] of files) if (n > 1) problems.push(`${name} uploaded ${n} times`);
  const jobs = new Map();
  for (const f of readdirSync(join(root, '.ftpipe/local-provider/jobs')).filter((n) => n.endsWith('.json'))) {
    const { job } = JSON.parse(readFileSync(join(root, '.ftpipe/local-provider/jobs', f), 'utf8'));
    const key = job.metadata?.ftpipe_key ?? job.id;
    jobs.set(key, (jobs.get(key) ?? 0) + 1);
  }
  for (const [key, n] of jobs) if (n > 1) problems.push(`${n} jobs for stage key ${key.slice(0, 12)}`);
  for (const { path } of walk(root)) if (/\.tmp$/.test(path)) problems.push(`stray temp ${path.slice(root.length + 1)}`);
  return { problems, uploads: [...files.values()].reduce((a, b) => a + b, 0), jobs: [...jobs.values()].reduce((a, b) => a + b, 0) };
}

const root = mkdtempSync(join(tmpdir(), 'ftpipe-kill-loop-'));
mkdirSync(join(root, '.git'));
mkdirSync(join(root, 'data'));
for (const f of ['loghub-Apache_2k.log_structured.csv', 'loghub-OpenSSH_2k.log_structured.csv']) cpSync(join(repo, 'data', f), join(root, 'data', f));
writeFileSync(join(root, 'r.yaml'), recipe);
const started = Date.now();
const killedIn = {};
const problems = [];
let kills = 0;
for (let cycle = 0; cycle < Number(args.cycles); cycle++) {
  const sets = [`logs.limit_per_file=${20 + cycle * 3}`, `train.n_epochs=${2 + (cycle % 2)}`];
  for (let k = 0; k < Number(args.kills); k++) {
    const result = await runOnce(root, sets, TARGETS[(cycle + k) % TARGETS.length]);
    if (!result.killedIn) {
      if (result.code !== 0) problems.push(`cycle ${cycle}: a run ended with exit ${result.code} without being killed:\n${result.output}`);
      break;
    }
    kills++;
    killedIn[result.killedIn] = (killedIn[result.killedIn] ?? 0) + 1;
  }
  const finish = await runOnce(root, sets);
  if (finish.code !== 0) problems.push(`cycle ${cycle}: the resumed run failed (exit ${finish.code}):\n${finish.output}`);
  const again = await runOnce(root, sets);
  if (again.code !== 0 || / ran( |$)/m.test(again.output)) problems.push(`cycle ${cycle}: the rerun was not a no-op:\n${again.output}`);
}
const found = await findings(root);
problems.push(...found.problems);
const summary = { cycles: Number(args.cycles), kills, killedIn, uploads: found.uploads, jobs: found.jobs, problems, ms: Date.now() - started, workspace: args.keep ? root : undefined };
process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
if (!args.keep) rmSync(root, { recursive: true, force: true });
process.exitCode = problems.length === 0 ? 0 : 1;
