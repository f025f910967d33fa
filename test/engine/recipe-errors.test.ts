import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';

describe('recipe errors point at file:line:col', () => {
  it('reports several schema problems at once, with positions and suggestions', async () => {
    const p = makeProject({
      'pipelines/bad.yaml': [
        'name: bad',
        'stages:',
        '  one:',
        '    uses: exec',
        '    wiht:',
        '      cmd: [echo, hi]',
        '  two:',
        '    uses: exce',
        '  three:',
        '    uses: exec',
        '    with:',
        '      cmd: [echo]',
        '      shel: true',
        '',
      ].join('\n'),
    });
    const r = await p.run(['lint', 'pipelines/bad.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pipelines/bad.yaml:5:5: error: unknown key "wiht" in stages.one');
    expect(r.stderr).toContain('did you mean "with"?');
    expect(r.stderr).toContain('pipelines/bad.yaml:8:11: error: stage "two": unknown stage type "exce"');
    expect(r.stderr).toContain('did you mean "exec"?');
    expect(r.stderr).toContain('pipelines/bad.yaml:13:7: error: unknown key "shel" in stages.three.with');
    expect(r.stderr).toContain('did you mean "shell"?');
    expect(r.stderr).toMatch(/problems found/);
    expect(r.stderr).not.toContain('    at '); // no stack trace for a user mistake
  });

  it('says what a param with alternatives expects, once', async () => {
    const p = makeProject({ 'r.yaml': 'stages:\n  a:\n    uses: exec\n    with:\n      cmd: 42\n' });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('r.yaml:5:12: error: stages.a.with.cmd: expected a string or a list of strings (got 42)');
  });

  it('reports YAML syntax errors with their position', async () => {
    const p = makeProject({ 'r.yaml': 'stages:\n  a:\n    uses: exec\n   with: [\n' });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^r\.yaml:\d+:\d+: error: YAML syntax/m);
  });

  it('spells out a cycle', async () => {
    const p = makeProject({
      'r.yaml': 'stages:\n  a:\n    uses: exec\n    needs: c\n    with: {cmd: ["true"]}\n  b:\n    uses: exec\n    needs: a\n    with: {cmd: ["true"]}\n  c:\n    uses: exec\n    needs: [b]\n    with: {cmd: ["true"]}\n',
    });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the stages form a cycle: a → c → b → a');
  });

  it('rejects unknown stages and outputs in references, with suggestions', async () => {
    const p = makeProject({
      'r.yaml': [
        'stages:',
        '  make:',
        '    uses: exec',
        '    with: {cmd: [true], outs: {data: out.txt}}',
        '  use:',
        '    uses: exec',
        '    with:',
        '      cmd: [cat, "${{ stages.make.outputs.dta }}"]',
        '  other:',
        '    uses: exec',
        '    with:',
        '      cmd: [cat, "${{ stages.mkae.outputs.data }}"]',
        '      deps: ["${{ vars.missing }}"]',
        '',
      ].join('\n'),
    });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refers to output "dta" of "make", which has outputs: log, data');
    expect(r.stderr).toContain('did you mean "data"?');
    expect(r.stderr).toContain('refers to unknown stage "mkae"');
    expect(r.stderr).toContain('did you mean "make"?');
    expect(r.stderr).toContain('unknown var "missing"');
  });

  it('refuses a recipe that contains an API key, without echoing it', async () => {
    const key = ['sk', 'proj', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4'].join('-');
    const p = makeProject({ 'r.yaml': `provider:\n  kind: openai\nstages:\n  a:\n    uses: exec\n    with:\n      cmd: [echo]\n      env: {OPENAI_API_KEY: ${key}}\n` });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:8:');
    expect(r.stderr).toContain('looks like an API key');
    expect(r.stderr).not.toContain(key);
  });

  it('refuses interpolating a secret env var into the recipe', async () => {
    const p = makeProject({ 'r.yaml': 'stages:\n  a:\n    uses: exec\n    with:\n      cmd: [echo, "${OPENAI_API_KEY}"]\n' });
    const r = await p.run(['lint', 'r.yaml'], { env: { OPENAI_API_KEY: 'x' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like a secret');
  });

  it('a missing recipe file is a clear usage error', async () => {
    const p = makeProject({});
    const r = await p.run(['run', 'nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read nope.yaml');
  });
});
