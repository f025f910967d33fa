/** A provider kind is one adapter file plus one registry line: the schema, the CLI and keys derive from it. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { execa } from 'execa';
import { loadAllAdapters, providerKinds } from '../../src/providers/registry.js';
import { buildPipelineSchema } from '../../src/recipe/pipeline-schema.js';
import { identifyProvider } from '../../src/verbs/provider-factory.js';
import { makeProject, repoRoot } from '../helpers/project.js';

describe('provider registry', () => {
  it('every adapter names its kind, describes every block field and lists only block fields as identity', async () => {
    const adapters = await loadAllAdapters();
    expect(adapters.map((a) => a.kind)).toEqual(providerKinds);
    for (const adapter of adapters) {
      for (const [field, schema] of Object.entries(adapter.block.properties)) expect(schema.description, `${adapter.kind}.${field}`).toBeTruthy();
      for (const field of adapter.identityFields) expect(Object.keys(adapter.block.properties), adapter.kind).toContain(field);
      expect(adapter.block.properties, adapter.kind).not.toHaveProperty('api_key');
    }
  });

  it('the published schemas/pipeline.schema.json is generated from the registry and the stage schemas', async () => {
    const built = JSON.stringify(buildPipelineSchema({ adapters: await loadAllAdapters(), stageParams: true }), null, 2) + '\n';
    expect(readFileSync(join(repoRoot, 'schemas/pipeline.schema.json'), 'utf8')).toBe(built);
  });

  it('the published schema checks provider blocks per kind and stage params per type, as an editor would', async () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/pipeline.schema.json'), 'utf8'));
    const check = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    const recipe = (provider: object, withParams: object = { input: 'a.jsonl' }) => ({ provider, stages: { c: { uses: 'clean', with: withParams } } });
    expect(check(recipe({ kind: 'local' })), JSON.stringify(check.errors)).toBe(true);
    expect(check(recipe({ kind: 'azure', resource: 'acct' }))).toBe(true);
    expect(check(recipe({ kind: 'openai', resource: 'acct' }))).toBe(false); // an azure field on openai
    expect(check(recipe({ kind: 'openai-compatible' }))).toBe(false); // base_url required
    expect(check(recipe({ kind: 'nope' }))).toBe(false);
    expect(check(recipe({ kind: 'local' }, { input: 'a.jsonl', fix: '${{ vars.fix }}' }))).toBe(true); // expressions allowed
    expect(check(recipe({ kind: 'local' }, { input: 'a.jsonl', rules: ['dedupe'] }))).toBe(false);
    expect(check(recipe({ kind: 'local' }, { input: 'a.jsonl', nope: 1 }))).toBe(false);
  });

  it('identity comes from the adapter\'s identity fields; the local provider adds its instance id', async () => {
    const ws = makeProject({}).root;
    expect(await identifyProvider({ kind: 'openai', organization: 'org-1', api_key_env: 'X' }, ws)).toEqual({ kind: 'openai', organization: 'org-1' });
    const local = await identifyProvider({ kind: 'local' }, ws);
    expect(local.kind).toBe('local');
    expect(local.instance).toMatch(/^[0-9a-f]{12}$/);
    expect(await identifyProvider({ kind: 'local' }, ws)).toEqual(local);
  });

  it('lint refuses a field that the provider kind does not have, at file:line:col with a suggestion', async () => {
    const p = makeProject({ 'r.yaml': 'provider:\n  kind: openai\n  organisation: org-1\nstages:\n  a:\n    uses: exec\n    with: { cmd: [echo] }\n' });
    const r = await p.run(['lint', 'r.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('r.yaml:3:3: error: unknown key "organisation" in provider');
    expect(r.stderr).toContain('did you mean "organization"?');
  });

  it('--provider offers exactly the registered kinds', async () => {
    const r = await execa('node', [join(repoRoot, 'bin/ftpipe.js'), 'run', 'x.yaml', '--provider', 'nope'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`Allowed choices are ${providerKinds.join(', ')}`);
  });
});
