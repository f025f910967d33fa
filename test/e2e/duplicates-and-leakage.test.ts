/**
 * clean's duplicate rules and split through the real CLI: distinct training examples survive
 * dedupe-normalized, each drop names the line it repeats, the holdout (validation) set leaks nothing
 * into training, and split puts an example and its key-reordered twin on the same side.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';
import { readStageJson, readStageJsonl } from './stage-output.js';

const user = (content: string) => ({ role: 'user', content });
const call = (id: string, city: string) => ({ id, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify({ city }) } });
const tool = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } });

/** Seven examples that differ only in what reaches training besides the text: none is a duplicate. */
const distinct = [
  { messages: [user('Weather?'), { role: 'assistant', content: null, tool_calls: [call('call_1', 'Paris')] }] },
  { messages: [user('Weather?'), { role: 'assistant', content: null, tool_calls: [call('call_1', 'Rome')] }] },
  { messages: [user('Weather?'), { role: 'assistant', content: null, tool_calls: [{ ...call('call_1', 'Paris'), function: { name: 'get_forecast', arguments: '{"city":"Paris"}' } }] }] },
  { messages: [user('Weather?'), { role: 'assistant', content: 'Sunny.', weight: 0 }] },
  { messages: [user('Weather?'), { role: 'assistant', content: 'Sunny.', weight: 1 }] },
  { messages: [{ ...user('Weather?'), name: 'alice' }, { role: 'assistant', content: 'Sunny.' }] },
  { messages: [user('Weather?'), { role: 'assistant', content: 'Sunny.' }], tools: [tool('get_weather')] },
];
/** ...and their twins: same training example up to key order, case, spacing, call ids and argument spacing. */
const twins = [
  { messages: [{ content: 'weather?', role: 'user' }, { role: 'assistant', tool_calls: [{ ...call('call_XYZ', 'Paris'), function: { name: 'get_weather', arguments: '{ "city": "Paris" }' } }] }] },
  { messages: [user('  WEATHER?'), { content: 'sunny.', role: 'assistant', weight: 0 }] },
  { id: 'row-77', messages: [user('Weather?'), { role: 'assistant', content: 'Sunny.' }], tools: [tool('get_weather')] },
];
const lines = (examples: object[]) => examples.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('no silent loss of distinct examples, no leakage', () => {
  it('dedupe-normalized keeps examples that differ in tool calls, arguments, weight, name or tools, and names the line each drop repeats', async () => {
    const p = makeProject({ 'data/train.jsonl': lines([...distinct, ...twins]), 'r.yaml': 'name: c\nstages:\n  tidy:\n    uses: clean\n    with:\n      input: data/train.jsonl\n' });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(readStageJsonl(p, 'tidy', 'data.jsonl')).toHaveLength(distinct.length);
    const file = `${p.root}/data/train.jsonl`;
    expect(readStageJsonl(p, 'tidy', 'dropped.jsonl').map((d) => [d.rule, d.line, d.duplicate_of])).toEqual([
      ['dedupe-normalized', 8, { file, line: 1 }],
      ['dedupe-normalized', 9, { file, line: 4 }],
      ['dedupe-normalized', 10, { file, line: 7 }],
    ]);
    const report = readStageJson(p, 'tidy', 'report.json');
    expect(report.rules['dedupe-normalized'].examples[0]).toMatchObject({ line: 8, detail: 'same training example (up to key order, case and spacing) as line 1', duplicate_of: { file, line: 1 } });
    expect(report.examples_dropped).toBe(3);
  });

  it('the leakage rule drops training examples that are also in the holdout (validation) set', async () => {
    const p = makeProject({
      'data/train.jsonl': lines(distinct),
      'data/validation.jsonl': lines([twins[1], { messages: [user('unrelated'), { role: 'assistant', content: 'x' }] }]),
      'r.yaml': 'name: c\nstages:\n  tidy:\n    uses: clean\n    with:\n      input: data/train.jsonl\n      holdout: data/validation.jsonl\n',
    });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(readStageJsonl(p, 'tidy', 'data.jsonl')).toHaveLength(distinct.length - 1);
    expect(readStageJsonl(p, 'tidy', 'dropped.jsonl')).toMatchObject([{ rule: 'leakage', line: 4, detail: 'also in the holdout set validation.jsonl:1', duplicate_of: { file: `${p.root}/data/validation.jsonl`, line: 1 } }]);
    expect(readStageJson(p, 'tidy', 'report.json').rules.leakage).toMatchObject({ count: 1, holdout_examples: 2 });
  });

  it('split puts an example and its key-reordered twin on the same side (clean not run first)', async () => {
    const pairs: object[] = [];
    for (let i = 0; i < 100; i++) {
      pairs.push({ messages: [{ role: 'user', content: `question ${i}` }, { role: 'assistant', content: `answer ${i}` }] });
      pairs.push({ messages: [{ content: `question ${i}`, role: 'user' }, { content: `answer ${i}`, role: 'assistant' }] });
    }
    const p = makeProject({ 'data/all.jsonl': lines(pairs), 'r.yaml': 'name: s\nstages:\n  split:\n    uses: split\n    with:\n      input: data/all.jsonl\n      validation_ratio: 0.3\n' });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    const questions = (side: string) => new Set(readStageJsonl(p, 'split', `${side}.jsonl`).map((e) => e.messages.find((m: any) => m.role === 'user').content));
    const train = questions('train');
    const validation = questions('validation');
    expect([...validation].filter((q) => train.has(q))).toEqual([]);
    expect(validation.size).toBeGreaterThan(10);
    expect(readStageJson(p, 'split', 'report.json').leakage).toEqual({ examples_on_both_sides: 0 });
  });
});
