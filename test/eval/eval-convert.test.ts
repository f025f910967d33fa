import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import evalConvert from '../../stages/eval-convert.js';
import { runStage } from '../helpers/run-stage.js';
import { pathToFileURL } from 'node:url';
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
    // The assertion module beside the config is ftpipe's scoring; promptfoo calls it with the test's config.
    const { ftpipeAssert } = await import(pathToFileURL(run.outputs.promptfoo_assert).href);
    const check = (output: string) => ftpipeAssert(output, { config: config.tests[3].assert[0].config }).pass;
    expect(config.tests[3].assert[0].value).toBe('file://promptfoo_assert.mjs:ftpipeAssert');
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
    const { ftpipeAssert } = await import(pathToFileURL(run.outputs.promptfoo_assert).href);
    const fuzzy = (output: string) => ftpipeAssert(output, { config: config.tests[0].assert[0].config }).pass;
    expect(fuzzy('It is Paris!')).toBe(true);
    expect(fuzzy('the   PARIS')).toBe(true);
    expect(fuzzy('Lyon')).toBe(false);
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8')).finding_counts).toEqual({ not_eval_example: 1 });
  });

  it('maps each metric to promptfoo assertions', () => {
    const module = { type: 'javascript', value: 'file://promptfoo_assert.mjs:ftpipeAssert' };
    expect(assertionsFor('Paris', 'match')).toEqual([{ ...module, config: { metric: 'match', ideals: ['Paris'] } }]);
    expect(assertionsFor(['a', 'b'], 'includes', { ignoreCase: true })).toEqual([{ ...module, config: { metric: 'includes', ideals: ['a', 'b'], ignore_case: true } }]);
    expect(assertionsFor('{"a": 1}', 'json_match')).toEqual([{ ...module, config: { metric: 'json_match', ideals: ['{"a": 1}'] } }]);
    expect(assertionsFor('fact', 'modelgraded')).toEqual([{ type: 'factuality', value: 'fact' }]);
  });

  it('metric json_match: an answer that is not JSON is a located row error, or skipped with on_error: skip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-evalconv-'));
    const file = join(dir, 'chat.jsonl');
    const row = (answer: string) => JSON.stringify({ messages: [{ role: 'user', content: 'categorise' }, { role: 'assistant', content: answer }] });
    writeFileSync(file, [row('{"category": "disk"}'), row('disk, probably'), row('NaN')].join('\n') + '\n');
    await expect(runStage(evalConvert, { params: { input: file, metric: 'json_match' } })).rejects.toMatchObject({ message: expect.stringContaining('the answer "disk, probably" is not JSON, so metric json_match cannot compare with it'), location: { file, line: 2 } });
    const run = await runStage(evalConvert, { params: { input: file, metric: 'json_match', on_error: 'skip' } });
    expect(readJsonl(run.outputs.data).map((s) => s.ideal)).toEqual(['{"category": "disk"}', 'NaN']); // NaN is JSON to Python's json.loads
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8'))).toMatchObject({ samples: 2, finding_counts: { ideal_not_json: 1 } });
  });
});
