import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import evalConvert from '../../stages/eval-convert.js';
import { runStage } from '../helpers/run-stage.js';
import { assertionsFor } from '../../src/eval/promptfoo-config.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const readJsonl = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const schema = JSON.parse(readFileSync(join(fixtures, 'eval/promptfoo-config-schema.excerpt.json'), 'utf8'));

describe('eval-convert', () => {
  it('reproduces the original converter on the classification file (parsed JSON values)', async () => {
    const run = await runStage(evalConvert, { params: { input: join(fixtures, 'expected/antrea-issues.classification.messages.jsonl') } });
    expect(readJsonl(run.outputs.data)).toEqual(readJsonl(join(fixtures, 'expected/antrea-issues.classification.eval-samples.jsonl')));
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8'))).toMatchObject({ samples: 6, finding_counts: {} });
    expect(run.outputs.promptfoo).toBeUndefined();
  });

  it('writes a promptfoo config that validates against promptfoo\'s published schema', async () => {
    const run = await runStage(evalConvert, {
      params: { input: join(fixtures, 'expected/antrea-issues.classification.messages.jsonl'), metric: 'classification', promptfoo: { providers: ['openai:chat:gpt-4.1-mini', 'openai:chat:ft:gpt-4.1-mini:acme::abc'] } },
    });
    const config = parse(readFileSync(run.outputs.promptfoo, 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(config.providers).toEqual(['openai:chat:gpt-4.1-mini', 'openai:chat:ft:gpt-4.1-mini:acme::abc']);
    // All samples share the system prompt: one readable chat prompt with the user message as {{input}}.
    expect(JSON.parse(config.prompts[0].replace('{{ input | dump }}', '"x"'))).toEqual([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'x' },
    ]);
    expect(config.tests).toHaveLength(6);
    const samples = readJsonl(run.outputs.data);
    expect(config.tests[3].vars.input).toBe(samples[3].input[1].content);
    const check = new Function('output', config.tests[3].assert[0].value) as (o: string) => boolean;
    expect(check("['transit', 'proxy']")).toBe(true);
    expect(check('["proxy"]')).toBe(false);
  });

  it('uses the generic messages prompt for multi-turn samples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-evalconv-'));
    const file = join(dir, 'chat.jsonl');
    writeFileSync(file, [
      JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'capital of France?' }, { role: 'assistant', content: 'Paris' }] }),
      JSON.stringify({ messages: [{ role: 'user', content: 'no answer' }] }),
    ].join('\n') + '\n');
    await expect(runStage(evalConvert, { params: { input: file } })).rejects.toMatchObject({ message: expect.stringContaining('the last message is "user"'), location: { file, line: 2 } });
    const run = await runStage(evalConvert, { params: { input: file, on_error: 'skip', metric: 'fuzzy_match', promptfoo: true } });
    const config = parse(readFileSync(run.outputs.promptfoo, 'utf8'));
    expect(new Ajv({ strict: false }).validate(schema, config)).toBe(true);
    expect(config.prompts).toEqual(['{{ messages | dump }}']);
    expect(config.tests[0].vars.messages).toHaveLength(3);
    const fuzzy = new Function('output', config.tests[0].assert[0].value) as (o: string) => boolean;
    expect(fuzzy('It is Paris!')).toBe(true);
    expect(fuzzy('the   PARIS')).toBe(true);
    expect(fuzzy('Lyon')).toBe(false);
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8')).finding_counts).toEqual({ not_eval_example: 1 });
  });

  it('maps each metric to promptfoo assertions', () => {
    expect(assertionsFor('Paris', 'match')).toEqual([{ type: 'starts-with', value: 'Paris' }]);
    expect(assertionsFor(['a', 'b'], 'includes')).toEqual([{ type: 'contains-any', value: ['a', 'b'] }]);
    expect(assertionsFor('{"a": 1}', 'json_match')).toEqual([{ type: 'is-json' }, { type: 'equals', value: { a: 1 } }]);
    const anyStart = new Function('output', 'return ' + assertionsFor(['a', 'b'], 'match')[0].value) as (o: string) => boolean;
    expect(anyStart('b!')).toBe(true);
    expect(anyStart('c')).toBe(false);
  });
});
