import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

const dir = join(import.meta.dirname, '../../schemas/stages');
const load = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.schema.json`), 'utf8'));

describe('data stage param schemas', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const cases: Record<string, { ok: object; bad: object }> = {
    'ingest-csv': { ok: { input: ['a.csv'], user: 'Log line: {Content}', assistant: '{system}', where: { Level: { not: ['x'] } }, limit_per_file: 5 }, bad: { input: 'a.csv', user: '{x}' } },
    conversations: { ok: { input: 'a.json', sys_prompt: 'x', task_type: 'classification' }, bad: { input: 'a.json', task_type: 'sorting' } },
    'prompt-completion': { ok: { input: 'a.jsonl', direction: 'to-prompt-completion', separator: '\n\n###\n\n' }, bad: { input: 'a.jsonl', seperator: 'x' } },
    clean: { ok: { input: 'a.jsonl', rules: ['dedupe-exact'], fix: false, max_tokens: 10 }, bad: { input: 'a.jsonl', rules: ['dedupe'] } },
    validate: { ok: { input: 'a.jsonl', model: 'gpt-4o-mini', n_epochs: 'auto', fail_on: ['format_error', 'warning'] }, bad: { input: 'a.jsonl' } },
    split: { ok: { input: 'a.jsonl', validation_ratio: 0.2, stratify: true }, bad: { input: 'a.jsonl', validation_ratio: 2 } },
  };
  for (const [name, { ok, bad }] of Object.entries(cases)) {
    it(`${name}: compiles, describes every property, accepts good and rejects bad params`, () => {
      const schema = load(name);
      expect(schema.$id).toBe(`https://ftpipe.dev/schemas/stages/${name}.schema.json`);
      expect(schema.additionalProperties).toBe(false);
      for (const [prop, def] of Object.entries<any>(schema.properties)) expect(def.description, prop).toBeTruthy();
      const check = ajv.compile(schema);
      expect(check(ok), JSON.stringify(check.errors)).toBe(true);
      expect(check(bad)).toBe(false);
    });
  }
});
