import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import validate from '../../stages/validate.js';
import { runStage } from '../helpers/run-stage.js';
import { countExampleTokens } from '../../src/data/tokens.js';
import { readJson, readJsonl } from './read-jsonl.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const classification = join(fixtures, 'expected/antrea-issues.classification.messages.jsonl');

function tempFile(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'validate-')), name);
  writeFileSync(path, content);
  return path;
}

describe('validate stage', () => {
  it('reports distributions, epochs and billing for the antrea examples', async () => {
    const run = await runStage(validate, { params: { input: classification, model: 'gpt-4o-mini-2024-07-18' } });
    const report = readJson(run.outputs.report);
    const examples = readJsonl(classification);
    const totals = examples.map((e) => countExampleTokens(e, 'o200k_base').total);
    expect(report).toMatchObject({ n_examples: 6, n_valid: 6, encoding: 'o200k_base', method: 'sft', format_errors: {}, epochs: { n_epochs: 16, source: 'heuristic' } });
    expect(report.distributions.total_tokens.max).toBe(Math.max(...totals));
    expect(report.distributions.messages_per_example).toMatchObject({ min: 3, max: 3 });
    expect(report.billing.tokens_per_epoch).toBe(totals.reduce((a, b) => a + b, 0));
    expect(report.billing.billed_tokens).toBe(report.billing.tokens_per_epoch * 16);
    expect(report.billing.estimated_cost_usd).toBeCloseTo((report.billing.billed_tokens / 1e6) * 3, 4);
    expect(report.finding_counts.too_few_examples).toBe(1);
    expect(readFileSync(run.outputs.summary, 'utf8')).toContain('6 of 6 examples valid');
    // The log gets the findings; the page (distributions, cost) stays in the summary output.
    expect(run.logs.some((l) => l.level === 'info' && l.message.includes('too_few_examples'))).toBe(true);
    expect(run.logs.some((l) => l.message.includes('| distribution |') || l.message.includes('estimated cost'))).toBe(false);
    expect(readFileSync(run.outputs.summary, 'utf8')).toContain('estimated cost');
  });

  it('uses n_epochs, the local price and the per-model limit', async () => {
    const run = await runStage(validate, { params: { input: classification, model: 'gpt-3.5-turbo-0613', n_epochs: 2, provider: 'local' } });
    const report = readJson(run.outputs.report);
    expect(report.epochs).toEqual({ n_epochs: 2, source: 'param' });
    expect(report.encoding).toBe('cl100k_base');
    expect(report.training_example_limit).toBe(4096);
    expect(report.billing.estimated_cost_usd).toBe(0);
  });

  it('finds every cookbook format error with its line, and fails by default', async () => {
    const good = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] };
    const lines = [
      JSON.stringify(good),
      '[1, 2]',
      JSON.stringify({ messages: [] }),
      JSON.stringify({ messages: [{ role: 'user' }, { role: 'assistant', content: 'x' }] }),
      JSON.stringify({ messages: [{ role: 'user', content: 'a', extra: 1 }, { role: 'assistant', content: 'x' }] }),
      JSON.stringify({ messages: [{ role: 'robot', content: 'a' }, { role: 'assistant', content: 'x' }] }),
      JSON.stringify({ messages: [{ role: 'user', content: 'a' }] }),
      JSON.stringify({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'x', weight: 2 }] }),
      '{"messages": [',
      JSON.stringify({ messages: [{ role: 'user', content: 'a <|endoftext|>' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: '1' }, { role: 'assistant', content: 'done', weight: 0 }], tools: [{ type: 'function', function: { name: 'f' } }] }),
    ];
    const file = tempFile('bad.jsonl', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\n') + '\n'), Buffer.from([0xff, 0xfe, 0x0a])]));
    const run = await runStage(validate, { params: { input: file, model: 'gpt-4o-mini', fail_on: [] } });
    const report = readJson(run.outputs.report);
    expect(report.format_errors).toEqual({
      data_type: 1,
      missing_messages_list: 1,
      message_missing_key: 1,
      missing_content: 1,
      message_unrecognized_key: 1,
      unrecognized_role: 1,
      example_missing_assistant_message: 1,
      invalid_weight: 1,
      invalid_json: 1,
      invalid_utf8: 1,
    });
    const lineOf = (kind: string) => report.findings.find((f: any) => f.kind === kind)?.line;
    expect([lineOf('bom'), lineOf('data_type'), lineOf('missing_messages_list'), lineOf('message_missing_key'), lineOf('invalid_json'), lineOf('invalid_utf8')]).toEqual([1, 2, 3, 4, 9, 11]);
    expect(report.n_examples).toBe(11);
    expect(report.n_valid).toBe(2);
    await expect(runStage(validate, { params: { input: file, model: 'gpt-4o-mini' } })).rejects.toMatchObject({ message: expect.stringContaining('the first: example is not a JSON object'), location: { file, line: 2 } });
  });

  it('accepts a pretty-printed JSON array and preference (DPO) examples', async () => {
    const dpo = Array.from({ length: 12 }, (_, i) => ({
      input: { messages: [{ role: 'user', content: `question ${i}` }] },
      preferred_output: [{ role: 'assistant', content: 'good' }],
      non_preferred_output: [{ role: 'assistant', content: 'bad' }],
    }));
    const file = tempFile('dpo.json', JSON.stringify(dpo, null, 2));
    const run = await runStage(validate, { params: { input: file, model: 'gpt-4.1-mini', method: 'dpo' } });
    const report = readJson(run.outputs.report);
    expect(report).toMatchObject({ n_examples: 12, n_valid: 12, method: 'dpo', format_errors: {} });
    expect(report.finding_counts.too_few_examples).toBeUndefined();
    await expect(runStage(validate, { params: { input: file, model: 'gpt-4.1-mini', method: 'sft' } })).rejects.toMatchObject({ message: expect.stringContaining('the first: a dpo example in a sft dataset'), location: { line: 2 } });
  });

  it('warns about examples over the model limit (truncated, not rejected)', async () => {
    const long = { messages: [{ role: 'user', content: 'word '.repeat(5000) }, { role: 'assistant', content: 'ok' }] };
    const file = tempFile('long.jsonl', JSON.stringify(long) + '\n');
    const run = await runStage(validate, { params: { input: file, model: 'gpt-3.5-turbo-0613' } });
    const report = readJson(run.outputs.report);
    expect(report.over_limit).toHaveLength(1);
    expect(report.over_limit[0].line).toBe(1);
    expect(report.billing.tokens_per_epoch).toBe(4096);
  });
});
