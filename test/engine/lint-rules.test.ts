/**
 * `ftpipe lint` catches what would only fail at run time (issue 11 item 20), each at file:line:col, and the
 * published recipe schema flags the same param mistakes for editors.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { makeProject, repoRoot } from '../helpers/project.js';

const lint = async (recipe: string, files: Record<string, string> = {}) => {
  const p = makeProject({ 'r.yaml': recipe, ...files });
  const r = await p.run(['lint', 'r.yaml']);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return r;
};

const SPLIT = `stages:
  split:
    uses: split
    with:
      input: data/train.jsonl
      validation_ratio: 0.2
      validation_count: 10
`;

describe('lint', () => {
  it('a missing input file', async () => {
    const r = await lint('stages:\n  clean:\n    uses: clean\n    with:\n      input: [data/a.jsonl, data/missing.jsonl]\n', { 'data/a.jsonl': '{}\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:5:29: error: stage "clean": input data/missing.jsonl does not exist');
  });

  it('is fine with an input that an earlier stage writes into the workspace (an exec out)', async () => {
    const r = await lint('stages:\n  make:\n    uses: exec\n    with: { cmd: [sh, -c, "echo x > made.txt"], outs: { made: made.txt } }\n  use:\n    uses: exec\n    needs: make\n    with: { cmd: [cat, made.txt], deps: [made.txt] }\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('validation_ratio together with validation_count (also at run time, before anything runs)', async () => {
    const r = await lint(SPLIT, { 'data/train.jsonl': '{}\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:7:7: error: stages.split.with: give validation_ratio or validation_count, not both');
    const p = makeProject({ 'r.yaml': SPLIT, 'data/train.jsonl': '{}\n' });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give validation_ratio or validation_count, not both');
  });

  it('a value output (file_id) used as a file input', async () => {
    const r = await lint(
      'stages:\n  upload:\n    uses: upload\n    with: { input: data/train.jsonl }\n  check:\n    uses: validate\n    with:\n      input: ${{ stages.upload.outputs.file_id }}\n      model: gpt-4o-mini-2024-07-18\n',
      { 'data/train.jsonl': '{}\n' },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:8:14: error: stage "check": input takes a file, but stages.upload.outputs.file_id is a value (the provider file id, e.g. file-abc123), not a file');
    expect(r.stderr).toContain('give input a workspace path or a file output, e.g. the file that was uploaded');
  });

  it('an unknown key in defaults, with a suggestion', async () => {
    const r = await lint('defaults:\n  model: gpt-4o-mini-2024-07-18\n  n_epoch: 3\nstages:\n  train:\n    uses: train\n    with: { training_file: file-abc }\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:3:3: error: unknown key "n_epoch" in defaults: no stage of this recipe takes it');
    expect(r.stderr).toContain('did you mean "n_epochs"?');
  });

  it('a single-brace ${stages.x.outputs.y}, suggesting ${{ }}', async () => {
    const r = await lint('stages:\n  make:\n    uses: exec\n    with: { cmd: ["true"], outs: { data: out.txt } }\n  use:\n    uses: exec\n    with:\n      cmd: [cat, "${stages.make.outputs.data}"]\n      env: { X: "${vars.x}" }\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:8:18: error: stages.use.with.cmd.1: "${stages.make.outputs.data}" is not an expression');
    expect(r.stderr).toContain('write ${{ stages.make.outputs.data }}');
    expect(r.stderr).toContain('write ${{ vars.x }}');
    expect(r.stderr).toMatch(/2 problems found/);
  });

  it('leaves shell parameter expansions alone', async () => {
    const r = await lint('stages:\n  a:\n    uses: exec\n    with: { cmd: \'echo "${HOME:-/root}" "${#PATH}"\', shell: true }\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the published recipe schema (for editors)', () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'pipeline.schema.json'), 'utf8'));
  const validate = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true }).compile(schema);
  it('checks `with:` per stage type, validation_ratio with validation_count included', () => {
    expect(validate(parse(SPLIT))).toBe(false);
    expect(validate(parse(SPLIT.replace('      validation_count: 10\n', '')))).toBe(true);
    expect(validate(parse('stages:\n  c:\n    uses: clean\n    with: { input: x.jsonl, fxi: true }\n'))).toBe(false);
  });
});
