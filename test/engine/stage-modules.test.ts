/**
 * Local stage modules (`uses: ./stages-local/x.mjs`, issue 11 items 4 and 5): their code is in the key,
 * `import … from 'ftpipe'` works without ftpipe installed in the workspace, and a module that fails to
 * load is reported at its file:line, without a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';

/** Upper-cases its input; `suffix` stands for an edit of the code that keeps `version: 1`. */
const upper = (suffix: string, viaFtpipe = true) => `${viaFtpipe ? "import { defineStage } from 'ftpipe';" : 'const defineStage = (d) => d;'}
import { shout } from './shout.mjs';
export default defineStage({
  type: 'upper', version: 1, description: 'upper-cases a file', inputs: ['input'],
  outputs: { data: { kind: 'file', ext: '.txt' } },
  schema: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
  async run(ctx) {
    const fs = await import('node:fs/promises');
    await fs.appendFile(ctx.workspace + '/count-upper', 'run\\n');
    await fs.writeFile(ctx.output('data'), shout(await fs.readFile(ctx.params.input, 'utf8')) + '${suffix}');
  },
});
`;
const shout = (mark: string) => `export const shout = (text) => text.toUpperCase() + '${mark}';\n`;
const RECIPE = 'stages:\n  up:\n    uses: ./stages-local/upper.mjs\n    with: { input: data/in.txt }\n';
const runs = (p: ReturnType<typeof makeProject>) => (p.exists('count-upper') ? p.read('count-upper').trim().split('\n').length : 0);
const noTrace = (text: string) => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain('internal error');
  expect(text).not.toContain('this is a bug');
};

describe('a local stage module', () => {
  it("imports 'ftpipe' in a workspace that has no ftpipe installed", async () => {
    const p = makeProject({ 'stages-local/upper.mjs': upper(''), 'stages-local/shout.mjs': shout('!'), 'data/in.txt': 'hi', 'r.yaml': RECIPE });
    expect(p.exists('node_modules')).toBe(false);
    const r = await p.run(['run', 'r.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(p.read('.ftpipe/out/r.yaml/up/data.txt')).toBe('HI!');
    // An FtpipeError from 'ftpipe' is the engine's own: reported as the user's error, with its hint.
    p.write('stages-local/refuse.mjs', "import { FtpipeError } from 'ftpipe';\nexport default { type: 'refuse', version: 1, outputs: {}, async run() { throw new FtpipeError('no labels found', 'NO_LABELS', { hint: 'add a label column' }); } };\n");
    p.write('r.yaml', RECIPE + '  refuse:\n    uses: ./stages-local/refuse.mjs\n');
    const refused = await p.run(['run', 'r.yaml']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: stage "refuse": no labels found [NO_LABELS]\n  hint: add a label column');
    noTrace(refused.stderr);
  });

  it('is rerun when its code or a file it imports changes, without a version bump', async () => {
    const p = makeProject({ 'stages-local/upper.mjs': upper('', false), 'stages-local/shout.mjs': shout('!'), 'data/in.txt': 'hi', 'r.yaml': RECIPE });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('up: up to date');

    p.write('stages-local/upper.mjs', upper('?', false));
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('up: will run: stage code changed (stages-local/upper.mjs)');
    expect((await p.run(['run', '--check', 'r.yaml'])).code).toBe(3);
    expect((await p.run(['run', 'r.yaml'])).stdout).toContain('✓ up ran');
    expect(p.read('.ftpipe/out/r.yaml/up/data.txt')).toBe('HI!?');

    p.write('stages-local/shout.mjs', shout('!!'));
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('up: will run: stage code changed (stages-local/shout.mjs)');
    await p.run(['run', 'r.yaml']);
    expect(p.read('.ftpipe/out/r.yaml/up/data.txt')).toBe('HI!!?');
    expect(runs(p)).toBe(3);

    // Back to the first code: restored from the run-cache, not rerun.
    p.write('stages-local/upper.mjs', upper('', false));
    p.write('stages-local/shout.mjs', shout('!'));
    expect((await p.run(['run', 'r.yaml'])).stdout).toContain('↺ up restored');
    expect(runs(p)).toBe(3);
    expect(p.read('.ftpipe/out/r.yaml/up/data.txt')).toBe('HI!');
    expect(p.read('ftpipe.lock')).toContain('path: stages-local/shout.mjs');
  });

  it('with a syntax error is reported at its file:line:col by lint and run, without a stack trace', async () => {
    const p = makeProject({
      'stages-local/upper.mjs': "export default {\n  type: 'upper',\n  run() { return 1 +; },\n};\n",
      'r.yaml': 'stages:\n  up:\n    uses: ./stages-local/upper.mjs\n',
    });
    for (const args of [['lint', 'r.yaml'], ['run', 'r.yaml']]) {
      const r = await p.run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('stages-local/upper.mjs:3:21: error: stage "up": syntax error in the stage module: Unexpected token \';\'');
      expect(r.stderr).toContain('r.yaml:3:11');
      noTrace(r.stderr);
    }
  });

  it('with a syntax error in a file it imports names that file', async () => {
    const p = makeProject({ 'stages-local/upper.mjs': upper(''), 'stages-local/shout.mjs': 'export const shout = (text) => {\n  return text.;\n};\n', 'r.yaml': RECIPE, 'data/in.txt': 'x' });
    const r = await p.run(['run', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^stages-local\/shout\.mjs:2:\d+: error: stage "up": syntax error in the stage module/m);
    noTrace(r.stderr);
  });

  it('that throws while loading, imports a missing package or a missing name says where', async () => {
    const p = makeProject({
      'stages-local/throws.mjs': "const config = {};\nconfig.missing.value = 1;\nexport default {};\n",
      'stages-local/package.mjs': "import { format } from 'date-fns';\nexport default { format };\n",
      'stages-local/name.mjs': "import { defineStge } from 'ftpipe';\nexport default defineStge({});\n",
      'r.yaml': 'stages:\n  a:\n    uses: ./stages-local/throws.mjs\n  b:\n    uses: ./stages-local/package.mjs\n  c:\n    uses: ./stages-local/name.mjs\n',
    });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("stages-local/throws.mjs:2:22: error: stage \"a\": the stage module failed while loading: TypeError: Cannot set properties of undefined (setting 'value')");
    expect(r.stderr).toContain('stages-local/package.mjs:1:25: error: stage "b": the stage module imports "date-fns", which is not installed');
    expect(r.stderr).toContain('npm install date-fns');
    expect(r.stderr).toContain("stages-local/name.mjs:1:10: error: stage \"c\": syntax error in the stage module: The requested module 'ftpipe' does not provide an export named 'defineStge'");
    noTrace(r.stderr);
  });
});
