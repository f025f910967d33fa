import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import clean from '../../stages/clean.js';
import { runStage } from '../helpers/run-stage.js';
import { readJson, readJsonl } from './read-jsonl.js';

const ex = (user: string, assistant?: string) => ({ messages: [{ role: 'user', content: user }, ...(assistant === undefined ? [] : [{ role: 'assistant', content: assistant }])] });

function input(): string {
  const rows = [
    ex('Hello  \r\nworld  ', ' hi '), // 1: line endings + whitespace fixed
    ex('Hello\nworld', 'hi'), // 2: exact duplicate of 1 after fixing
    ex('HELLO   world', 'Hi'), // 3: normalized duplicate of 1
    ex('no answer'), // 4: no assistant
    { messages: [{ role: 'system', content: 's' }, { role: 'user', content: '  ' }] }, // 5: empty message, then empty example
    ex('long '.repeat(300), 'x'), // 6: over max_tokens
    ex('fine', 'ok'), // 7
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'clean-')), 'in.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n"just a string"\n');
  return file;
}

describe('clean stage', () => {
  it('applies every rule and counts it with example lines', async () => {
    const run = await runStage(clean, { params: { input: input(), max_tokens: 100, on_error: 'skip' } });
    expect(readJsonl(run.outputs.data)).toEqual([ex('Hello\nworld', 'hi'), ex('fine', 'ok')]);
    const report = readJson(run.outputs.report);
    const counts = Object.fromEntries(Object.entries(report.rules).map(([id, r]: [string, any]) => [id, r.count]));
    expect(counts).toEqual({
      'normalize-line-endings': 1,
      'normalize-whitespace': 3,
      'drop-empty-message': 1,
      'drop-empty-example': 1,
      'require-assistant': 1,
      'max-tokens': 1,
      'dedupe-exact': 1,
      'dedupe-normalized': 1,
    });
    expect(report.rules['dedupe-exact'].examples[0]).toMatchObject({ line: 2 });
    expect(report.findings[0]).toMatchObject({ kind: 'not_chat_example', line: 8 });
    expect(report).toMatchObject({ examples_in: 8, examples_out: 2 });
  });

  it('only reports with fix: false, and fails on over-limit examples when asked', async () => {
    const file = input();
    const run = await runStage(clean, { params: { input: file, fix: false, max_tokens: 100, on_error: 'skip' } });
    expect(readJsonl(run.outputs.data)).toHaveLength(7);
    expect(readJson(run.outputs.report).rules['dedupe-exact'].count).toBe(1);
    await expect(runStage(clean, { params: { input: file, max_tokens: 100, on_over_limit: 'fail', on_error: 'skip' } })).rejects.toMatchObject({ message: expect.stringMatching(/^example has \d+ tokens > max_tokens 100$/), location: { file, line: 6 } });
    await expect(runStage(clean, { params: { input: file, rules: ['dedupe'] } })).rejects.toThrow(/unknown clean rule/);
  });
});
