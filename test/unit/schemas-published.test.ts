import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../helpers/project.js';

describe('published schemas', () => {
  it('every stage type has a module and a schema, and the schema names itself', () => {
    const schemas = readdirSync(join(repoRoot, 'schemas/stages')).map((f) => f.replace('.schema.json', '')).sort();
    const modules = readdirSync(join(repoRoot, 'stages')).filter((f) => f.endsWith('.ts')).map((f) => f.replace('.ts', '')).sort();
    expect(schemas).toEqual(modules);
    for (const type of schemas) {
      const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/stages', `${type}.schema.json`), 'utf8'));
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://ftpipe.dev/schemas/stages/${type}.schema.json`);
    }
  });

  it('docs/stages.md is generated from the current schemas', async () => {
    const r = await execa('node', [join(repoRoot, 'scripts/stage-docs.mjs'), '--check'], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
