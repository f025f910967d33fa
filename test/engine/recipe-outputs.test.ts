/**
 * Several recipes in one workspace (issue 11 item 12): each recipe's outputs live under its own folder
 * (.ftpipe/out/<recipe>/<stage>/), its lock section is its own, and the studio shows the chosen recipe's.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parse } from 'yaml';
import { makeProject } from '../helpers/project.js';
import { stageOutputDir } from '../../src/run/output-paths.js';
import { readRecipeView } from '../../src/studio/recipe-view.js';
import { readEvalView } from '../../src/studio/eval-view.js';
import { listDataFiles } from '../../src/studio/workspace-files.js';

/** A local stage named like an eval stage (the studio finds it by type): writes a report and a JSONL file. */
const EVAL_MODULE = `export default {
  type: 'eval', version: 1, description: 'writes a report naming its label',
  outputs: { report: { kind: 'file', ext: '.json' }, data: { kind: 'file', ext: '.jsonl' } },
  schema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
  async run(ctx) {
    const fs = await import('node:fs');
    fs.writeFileSync(ctx.output('report'), JSON.stringify({ label: ctx.params.label }));
    fs.writeFileSync(ctx.output('data'), JSON.stringify({ messages: [{ role: 'user', content: ctx.params.label }] }) + '\\n');
  },
};
`;

const recipe = (label: string, extra = '') => `stages:
  eval:
    uses: ./stages-local/eval.mjs
    with: { label: ${label} }
  note:
    uses: exec
    with: { cmd: [sh, -c, "echo ${label} > note-${label}.txt"], outs: { text: note-${label}.txt } }
${extra}`;

const extraStage = '  extra:\n    uses: exec\n    with: { cmd: ["true"] }\n';

describe('outputs per recipe', () => {
  it('two recipes with the same stage ids keep their own outputs, lock sections and studio views', async () => {
    const p = makeProject({ 'stages-local/eval.mjs': EVAL_MODULE, 'pipelines/a.yaml': recipe('A'), 'pipelines/b.yaml': recipe('B', extraStage) });
    expect((await p.run(['run', 'pipelines/a.yaml'])).code).toBe(0);
    expect((await p.run(['run', 'pipelines/b.yaml'])).code).toBe(0);

    const out = (name: string, stage: string, file: string) => p.read(join('.ftpipe', 'out', name, stage, file));
    expect(JSON.parse(out('pipelines/a.yaml', 'eval', 'report.json'))).toEqual({ label: 'A' });
    expect(JSON.parse(out('pipelines/b.yaml', 'eval', 'report.json'))).toEqual({ label: 'B' });
    expect(out('pipelines/a.yaml', 'note', 'text')).toBe('A\n');
    expect(out('pipelines/b.yaml', 'note', 'text')).toBe('B\n');
    expect(stageOutputDir(p.root, 'pipelines/a.yaml', 'eval')).toBe(join(p.root, '.ftpipe', 'out', 'pipelines', 'a.yaml', 'eval'));

    // Running b did not disturb a: still up to date, and its outputs are still its own.
    expect((await p.run(['status', 'pipelines/a.yaml'])).stdout).toContain('nothing to run');
    expect((await p.run(['run', 'pipelines/a.yaml'])).stdout).toContain('• eval cached');
    expect(JSON.parse(out('pipelines/a.yaml', 'eval', 'report.json'))).toEqual({ label: 'A' });

    // Removing a stage from b drops only b's entry; a's section is untouched.
    const lockBefore = parse(p.read('ftpipe.lock'));
    p.write('pipelines/b.yaml', recipe('B'));
    expect((await p.run(['run', 'pipelines/b.yaml'])).code).toBe(0);
    const lock = parse(p.read('ftpipe.lock'));
    expect(Object.keys(lock.pipelines['pipelines/b.yaml'].stages).sort()).toEqual(['eval', 'note']);
    expect(lock.pipelines['pipelines/a.yaml']).toEqual(lockBefore.pipelines['pipelines/a.yaml']);
    expect((await p.run(['run', '--check', 'pipelines/a.yaml'])).code).toBe(0);

    // The studio follows the chosen recipe: its eval report and its JSONL outputs, not the other's.
    for (const [name, label] of [['a', 'A'], ['b', 'B']]) {
      const view = readRecipeView(join(p.root, 'pipelines', `${name}.yaml`), p.root);
      const evalView = await readEvalView(p.root, view);
      expect(evalView.report).toEqual({ label });
      expect(evalView.reportPath).toBe(`.ftpipe/out/pipelines/${name}.yaml/eval/report.json`);
      expect(listDataFiles(p.root, view).filter((f) => f.source === 'output').map((f) => f.path)).toEqual([`.ftpipe/out/pipelines/${name}.yaml/eval/data.jsonl`]);
    }
  });

  it('a recipe in the workspace root and one in a folder never share a folder', async () => {
    const p = makeProject({ 'stages-local/eval.mjs': EVAL_MODULE, 'r.yaml': recipe('R'), 'r/eval.yaml': recipe('S') });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect((await p.run(['run', 'r/eval.yaml'])).code).toBe(0);
    expect(JSON.parse(p.read('.ftpipe/out/r.yaml/eval/report.json'))).toEqual({ label: 'R' });
    expect(JSON.parse(p.read('.ftpipe/out/r/eval.yaml/eval/report.json'))).toEqual({ label: 'S' });
  });
});
