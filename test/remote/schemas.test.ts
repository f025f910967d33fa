import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

const dir = join(import.meta.dirname, '../../schemas/stages');
const load = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.schema.json`), 'utf8'));

describe('remote stage param schemas', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const cases: Record<string, { ok: object[]; bad: object[] }> = {
    upload: { ok: [{ input: 'a.jsonl' }], bad: [{ input: 'a.jsonl', purpose: 'batch' }, {}] },
    train: { ok: [{ model: 'gpt-4.1-mini', training_file: 'file-1', n_epochs: 'auto', batch_size: 2, method: 'dpo' }], bad: [{ model: 'm', training_file: 'f', n_epochs: 'many' }, { model: 'm' }] },
    wait: { ok: [{ job_id: 'ftjob-1', timeout: '2h', poll_interval_ms: 100 }, { job_id: 'j', timeout: 3600 }], bad: [{ job_id: 'j', timeout: 'soon' }] },
    infer: { ok: [{ model: 'm', user_input: 'hi' }, { model: 'm', input: 'a.jsonl', concurrency: 8 }], bad: [{ model: 'm' }, { model: 'm', user_input: 'x', input: 'a.jsonl' }] },
  };
  for (const [name, { ok, bad }] of Object.entries(cases)) {
    it(`${name}: compiles strictly, describes every property, accepts good and rejects bad params`, () => {
      const schema = load(name);
      expect(schema.$id).toBe(`https://ftpipe.dev/schemas/stages/${name}.schema.json`);
      expect(schema.additionalProperties).toBe(false);
      for (const [prop, def] of Object.entries<any>(schema.properties)) expect(def.description, prop).toBeTruthy();
      const check = ajv.compile(schema);
      for (const params of ok) expect(check(params), JSON.stringify(check.errors)).toBe(true);
      for (const params of bad) expect(check(params), JSON.stringify(params)).toBe(false);
    });
  }
});
