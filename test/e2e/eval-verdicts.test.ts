/**
 * The eval stage through the real CLI on a real file tree (local provider over HTTP): what a failed
 * gate leaves behind, bypassing and collecting the response cache, and lint-time spec checks.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeProject, type Project } from '../helpers/project.js';

const samples = [
  { input: [{ role: 'user', content: 'Say something.' }], ideal: 'untrained' },
  { input: [{ role: 'user', content: 'Say something else.' }], ideal: 'local base model' },
  { input: [{ role: 'user', content: 'And once more.' }], ideal: 'fine-tune it' },
  { input: [{ role: 'user', content: 'Capital of France?' }], ideal: 'Paris' },
];

function recipe(extra: string): string {
  return `name: gate
provider:
  kind: local
stages:
  eval:
    uses: eval
    with:
      samples: data/samples.jsonl
      models: [{ id: gpt-4o-mini-2024-07-18, label: fine-tuned }]
      metric: includes
${extra}`;
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
