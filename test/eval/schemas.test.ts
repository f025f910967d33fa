import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

const dir = join(import.meta.dirname, '../../schemas/stages');
const load = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.schema.json`), 'utf8'));

describe('eval stage param schemas', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const ft = '${{ stages.wait.outputs.fine_tuned_model }}';
  const cases: Record<string, { ok: object; bad: object[] }> = {
    'eval-convert': { ok: { input: 'a.jsonl', metric: 'classification', promptfoo: { providers: ['openai:chat:gpt-4.1-mini'] } }, bad: [{ input: 'a.jsonl', metric: 'exact' }, { input: 'a.jsonl', promptfoo: { provider: 'x' } }] },
    eval: {
      ok: { samples: 's.jsonl', models: ['gpt-4o-mini', { id: ft, label: 'fine-tuned' }], metric: 'modelgraded', spec: 'm.yaml', grader: { model: 'gpt-4.1' }, min_score: 0.8, must_beat_base: true, concurrency: 8 },
      bad: [{ samples: 's.jsonl', models: [] }, { samples: 's.jsonl', models: ['a'], metric: 'bleu' }, { samples: 's.jsonl', models: [{ label: 'base' }] }],
    },
    oaieval: { ok: { samples: 's.jsonl', models: ['gpt-4o-mini'], metric: 'includes', oaieval_bin: '/usr/local/bin/oaieval' }, bad: [{ samples: 's.jsonl', models: ['a'], metric: 'classification' }, { samples: 's.jsonl', models: ['a'], name: 'has space' }] },
    sweep: {
      ok: { samples: 's.jsonl', models: ['gpt-4o-mini'], matrix: { temperature: [0, 0.7], top_p: [1, 0.9] }, training_file: 't.jsonl', train: { model: 'gpt-4o-mini', matrix: { n_epochs: [2, 4], learning_rate_multiplier: [0.5, 2] } } },
      bad: [{ samples: 's.jsonl', matrix: { frequency: [1] } }, { samples: 's.jsonl', train: { model: 'x', matrix: {} } }],
    },
  };
  for (const [name, { ok, bad }] of Object.entries(cases)) {
    it(`${name}: compiles, describes every property, accepts good and rejects bad params`, () => {
      const schema = load(name);
      expect(schema.$id).toBe(`https://ftpipe.dev/schemas/stages/${name}.schema.json`);
      expect(schema.additionalProperties).toBe(false);
      for (const [prop, def] of Object.entries<any>(schema.properties)) expect(def.description, prop).toBeTruthy();
      const check = ajv.compile(schema);
      expect(check(ok), JSON.stringify(check.errors)).toBe(true);
      for (const params of bad) expect(check(params), JSON.stringify(params)).toBe(false);
    });
  }
});
