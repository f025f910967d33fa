/** JSON for machines: lint --json, dag --json, and recipe errors as an event under run --json. */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';

const good = 'stages:\n  a:\n    uses: exec\n    with: { cmd: [echo, hi] }\n  b:\n    uses: exec\n    needs: a\n    with: { cmd: [echo, b] }\n';
const bad = 'stages:\n  a:\n    uses: exec\n    with: { cmd: 42 }\n';

describe('JSON output', () => {
  it('lint --json: one object with each recipe ok or its problems at file:line:col; exit 2 when any fails', async () => {
    const p = makeProject({ 'good.yaml': good, 'bad.yaml': bad });
    const r = await p.run(['lint', 'good.yaml', 'bad.yaml', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      recipes: [
        { file: 'good.yaml', recipe: 'good.yaml', ok: true, stages: 2, problems: [] },
        {
          file: 'bad.yaml',
          ok: false,
          code: 'RECIPE_INVALID',
          message: 'stages.a.with.cmd: expected a string or a list of strings (got 42)',
          exitCode: 2,
          problems: [{ file: 'bad.yaml', line: 4, column: 18, path: 'stages.a.with.cmd', message: 'stages.a.with.cmd: expected a string or a list of strings (got 42)' }],
        },
      ],
    });
  });

  it('dag --json: stages in run order with their type, needs and outputs', async () => {
    const p = makeProject({ 'good.yaml': good });
    const r = await p.run(['dag', 'good.yaml', '--json']);
    expect(r.code).toBe(0);
    const dag = JSON.parse(r.stdout);
    expect(dag.order).toEqual(['a', 'b']);
    expect(dag.stages[1]).toEqual({ id: 'b', uses: 'exec', needs: ['a'], outputs: { log: 'file' }, paid: false });
  });

  it('run --json: a recipe error is a JSON event on stdout (and the usual message on stderr), exit 2', async () => {
    const p = makeProject({ 'bad.yaml': bad });
    const r = await p.run(['run', 'bad.yaml', '--json']);
    expect(r.code).toBe(2);
    const event = JSON.parse(r.stdout.trim());
    expect(event).toMatchObject({ type: 'error', code: 'RECIPE_INVALID', exitCode: 2, problems: [{ file: 'bad.yaml', line: 4, column: 18 }] });
    expect(r.stderr).toContain('bad.yaml:4:18: error:');
  });
});
