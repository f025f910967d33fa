/**
 * The eval stage through the real CLI on a real file tree (local provider over HTTP): what a failed
 * gate leaves behind, bypassing and collecting the response cache, and lint-time spec checks.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { makeProject, type Project } from '../helpers/project.js';

const samples = [
  { input: [{ role: 'user', content: 'Say something.' }], ideal: 'untrained' },
  { input: [{ role: 'user', content: 'Say something else.' }], ideal: 'local base model' },
  { input: [{ role: 'user', content: 'And once more.' }], ideal: 'fine-tune it' },
  { input: [{ role: 'user', content: 'Capital of France?' }], ideal: 'Paris' },
];

/** A recipe with one eval stage on data/samples.jsonl; `params` are the `with:` lines after samples. */
function evalRecipe(params: string): string {
  return `name: gate
provider:
  kind: local
stages:
  eval:
    uses: eval
    with:
      samples: data/samples.jsonl
${params}`;
}

function recipe(extra: string): string {
  return evalRecipe(`      models: [{ id: gpt-4o-mini-2024-07-18, label: fine-tuned }]\n      metric: includes\n${extra}`);
}

export function evalProject(extra: string): Project {
  return makeProject({ 'pipelines/gate.yaml': recipe(extra), 'data/samples.jsonl': samples.map((s) => JSON.stringify(s)).join('\n') + '\n' });
}

/** A stage's published output, wherever the engine lays out .ftpipe/out (per stage or per recipe and stage). */
export function stageOutput(p: Project, stage: string, file: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === file && dir.endsWith(`/${stage}`)) found.push(path);
    }
  };
  walk(join(p.root, '.ftpipe', 'out'));
  if (found.length !== 1) throw new Error(`expected one ${stage}/${file} under .ftpipe/out, found ${found.length}`);
  return relative(p.root, found[0]);
}

describe('eval verdicts through the CLI', () => {
  it('a failed threshold (exit 4) leaves a report and summary that say failed, and which threshold', async () => {
    const p = evalProject('      min_score: 0.5\n');
    const first = await p.run(['run', 'pipelines/gate.yaml']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const reportPath = stageOutput(p, 'eval', 'report.json');
    expect(JSON.parse(p.read(reportPath)).thresholds).toMatchObject({ passed: true });

    p.write('pipelines/gate.yaml', recipe('      min_score: 0.9\n'));
    const failed = await p.run(['run', 'pipelines/gate.yaml']);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('below min_score 0.90');
    const report = JSON.parse(p.read(stageOutput(p, 'eval', 'report.json')));
    expect(report.thresholds).toMatchObject({ passed: false, min_score: 0.9 });
    expect(report.thresholds.failures).toEqual([expect.stringContaining('accuracy of fine-tuned is 0.75, below min_score 0.90')]);
    expect(report.requests).toEqual({ sent: 0, cached: 4 });
    const summary = p.read(stageOutput(p, 'eval', 'summary.md'));
    expect(summary).toContain('Thresholds: **failed**');
    expect(summary).toContain('below min_score 0.90');
    // A failed gate is not a result: the lock keeps the passing run, and the next run checks again.
    expect(p.read('ftpipe.lock')).toContain('min_score: 0.5');
    expect((await p.run(['run', 'pipelines/gate.yaml'])).code).toBe(4);
  });
});

describe('the eval response cache through the CLI', () => {
  it('--set eval.response_cache=refresh asks every request again; cache gc collects entries unused for --keep-days, and temps a killed run left', async () => {
    const p = evalProject('');
    expect((await p.run(['run', 'pipelines/gate.yaml'])).code).toBe(0);
    const requests = () => JSON.parse(p.read(stageOutput(p, 'eval', 'report.json'))).requests;
    expect(requests()).toEqual({ sent: 4, cached: 0 });
    const refreshed = await p.run(['run', 'pipelines/gate.yaml', '--set', 'eval.response_cache=refresh']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(requests()).toEqual({ sent: 4, cached: 0 });
    // Another param, same requests: the refreshed answers are in the cache.
    expect((await p.run(['run', 'pipelines/gate.yaml', '--set', 'eval.min_score=0.1'])).code).toBe(0);
    expect(requests()).toEqual({ sent: 0, cached: 4 });

    const dir = join(p.root, '.ftpipe/cache/responses');
    const entries = () => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')).sort();
    const all = entries();
    expect(all).toHaveLength(4);
    const old = new Date(Date.now() - 40 * 86_400_000);
    for (const f of all.slice(0, 3)) utimesSync(join(dir, f), old, old);
    const orphan = join(dir, all[0].split('/')[0], `.x.json.${deadPid()}.0a0b0c0d.tmp`);
    writeFileSync(orphan, '{"half');
    const gc = await p.run(['cache', 'gc', '--keep-days', '30']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toContain('deleted 3 eval response(s) unused for 30 days');
    expect(entries()).toEqual([all[3]]);
    expect(existsSync(orphan)).toBe(false);
  });

  it('temp files left in the response cache by a killed run are gone after the next run', async () => {
    const p = evalProject('');
    const orphan = '.ftpipe/cache/responses/ab/.cdef.json.' + deadPid() + '.1a2b3c4d.tmp';
    p.write(orphan, '{"response": {"content": "half');
    expect((await p.run(['run', 'pipelines/gate.yaml'])).code).toBe(0);
    expect(p.exists(orphan)).toBe(false);
  });
});

describe('model-graded specs at lint time', () => {
  it("an unknown {placeholder} is a lint error at the recipe's line, not text sent to the grader", async () => {
    const p = makeProject({
      'pipelines/graded.yaml': evalRecipe('      models: [gpt-4o-mini-2024-07-18]\n      metric: modelgraded\n      spec: evals/closedqa.yaml\n      grader: { model: gpt-4o-mini-2024-07-18 }\n'),
      'data/samples.jsonl': samples.map((s) => JSON.stringify(s)).join('\n') + '\n',
      'evals/closedqa.yaml': readFileSync(join(import.meta.dirname, '../fixtures/eval/openai-evals/closedqa.yaml'), 'utf8'),
    });
    const lint = await p.run(['lint', 'pipelines/graded.yaml']);
    expect(lint.code).toBe(2);
    expect(lint.stderr).toContain('pipelines/graded.yaml:11:13');
    expect(lint.stderr).toContain('the prompt of spec "closedqa" uses {criteria}, which data/samples.jsonl:1 does not have');
    p.write('pipelines/graded.yaml', p.read('pipelines/graded.yaml') + '      spec_args: { criteria: "relevance: is the answer on topic?" }\n');
    const fixed = await p.run(['lint', 'pipelines/graded.yaml']);
    expect(fixed.code, fixed.stderr).toBe(0);
  });
});

function deadPid(): string {
  return execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString();
}
