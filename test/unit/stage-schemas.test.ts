/** Every stage's params schema: published correctly, documented for editors, and strict where it matters. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { execa } from 'execa';
import { repoRoot } from '../helpers/project.js';

const dir = join(repoRoot, 'schemas/stages');
const types = readdirSync(dir).map((f) => f.replace('.schema.json', '')).sort();
const load = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.schema.json`), 'utf8'));
const ft = '${{ stages.wait.outputs.fine_tuned_model }}';

/** Hand-written params each schema must accept (ok) and refuse (bad). */
const cases: Record<string, { ok: object; bad: object[] }> = {
  'ingest-csv': { ok: { input: ['a.csv'], user: 'Log line: {Content}', assistant: '{system}', where: { Level: { not: ['x'] } }, limit_per_file: 5 }, bad: [{ input: 'a.csv', user: '{x}' }] },
  conversations: { ok: { input: 'a.json', sys_prompt: 'x', task_type: 'classification' }, bad: [{ input: 'a.json', task_type: 'sorting' }] },
  'prompt-completion': { ok: { input: 'a.jsonl', direction: 'to-prompt-completion', separator: '\n\n###\n\n' }, bad: [{ input: 'a.jsonl', seperator: 'x' }] },
  clean: { ok: { input: 'a.jsonl', rules: ['dedupe-exact'], fix: false, max_tokens: 10 }, bad: [{ input: 'a.jsonl', rules: ['dedupe'] }] },
  validate: { ok: { input: 'a.jsonl', model: 'gpt-4o-mini', n_epochs: 'auto', fail_on: ['format_error', 'warning'] }, bad: [{ input: 'a.jsonl' }] },
  split: { ok: { input: 'a.jsonl', validation_ratio: 0.2, stratify: true }, bad: [{ input: 'a.jsonl', validation_ratio: 2 }] },
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
  exec: { ok: { cmd: ['python3', 'prep.py'], deps: ['data/x.csv'], outs: { data: 'out/x.jsonl' } }, bad: [{ cmd: 42 }, { cmd: 'x', outs: ['a'] }] },
};

describe('stage param schemas', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });

  it('every stage type has a module and a schema', () => {
    const modules = readdirSync(join(repoRoot, 'stages')).filter((f) => f.endsWith('.ts')).map((f) => f.replace('.ts', '')).sort();
    expect(types).toEqual(modules);
  });

  for (const type of types) {
    it(`${type}: compiles (strict), names itself, describes every property${cases[type] ? ', accepts good and rejects bad params' : ''}`, () => {
      const schema = load(type);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://ftpipe.dev/schemas/stages/${type}.schema.json`);
      expect(schema.additionalProperties).toBe(false);
      for (const [prop, def] of Object.entries<any>(schema.properties)) expect(def.description, prop).toBeTruthy();
      const check = ajv.compile(schema);
      if (!cases[type]) return;
      expect(check(cases[type].ok), JSON.stringify(check.errors)).toBe(true);
      for (const params of cases[type].bad) expect(check(params), JSON.stringify(params)).toBe(false);
    });
  }

  it('docs/stages.md is generated from the current schemas', async () => {
    const r = await execa('node', [join(repoRoot, 'scripts/stage-docs.mjs'), '--check'], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
