/**
 * The JSON data stages through the real CLI: validate's token counts equal tiktoken's core on text
 * where JavaScript's regex classes differ from the core's and on long unbroken text; errors name
 * file:line once; a line over max_line_bytes is located and follows on_error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { get_encoding } from 'tiktoken';
import { makeProject } from '../helpers/project.js';
import { readStageJson, readStageJsonl } from './stage-output.js';

const core = get_encoding('o200k_base');
afterAll(() => core.free());
const tokens = (text: string) => core.encode_ordinary(text).length;
/** The cookbook's count for user + assistant messages. */
const cookbook = (user: string, assistant: string) => 3 + (3 + tokens('user') + tokens(user)) + (3 + tokens('assistant') + tokens(assistant));

const example = (user: string, assistant: string) => JSON.stringify({ messages: [{ role: 'user', content: user }, { role: 'assistant', content: assistant }] });

describe('JSON data stages on hard input', () => {
  it("validate counts tokens as tiktoken's core does (U+FEFF, U+0085, long unbroken text)", async () => {
    const pairs: Array<[string, string]> = [
      ['Hello \ufeffWorld', "\ufeff'm here"],
      ['\u0085,t', 'a\u0085b'],
      ['x'.repeat(8000), 'ok'], // one 8 KB piece: the merge heap's path
      ['日本語のテキスト'.repeat(400), '\u3000'.repeat(2000)],
    ];
    for (let i = 0; i < 8; i++) pairs.push([`question ${i}`, `answer ${i}`]);
    const p = makeProject({
      'data/train.jsonl': pairs.map(([u, a]) => example(u, a)).join('\n') + '\n',
      'r.yaml': 'name: v\nstages:\n  check:\n    uses: validate\n    with:\n      input: data/train.jsonl\n      model: gpt-4o-mini-2024-07-18\n',
    });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    const report = readStageJson(p, 'check', 'report.json');
    const expected = pairs.map(([u, a]) => cookbook(u, a));
    expect(report.billing.tokens_per_epoch).toBe(expected.reduce((a, b) => a + b, 0));
    expect(report.distributions.total_tokens.max).toBe(Math.max(...expected));
    expect(report.distributions.total_tokens.min).toBe(Math.min(...expected));
  });

  it('a bad row names its file:line once', async () => {
    const p = makeProject({
      'data/a.jsonl': `${example('hi', 'yo')}\n{bad json\n`,
      'r.yaml': 'name: c\nstages:\n  tidy:\n    uses: clean\n    with:\n      input: data/a.jsonl\n',
    });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: <root>\/data\/a\.jsonl:2: stage "tidy": not valid JSON \(/m);
    expect(run.stderr.split('a.jsonl:2').length - 1).toBe(1);
  });

  it('a line over max_line_bytes is located, skipped with on_error: skip, and fails the stage otherwise', async () => {
    const conversation = (text: string) => JSON.stringify({ conversations: [{ from: 'human', value: text }, { from: 'gpt', value: 'ok' }] });
    const lines = [conversation('first'), conversation('y'.repeat(10_000)), conversation('third')];
    const recipe = (onError: string) => `name: s\nstages:\n  convert:\n    uses: conversations\n    with:\n      input: data/chats.jsonl\n      max_line_bytes: 4096\n      on_error: ${onError}\n`;
    const p = makeProject({ 'data/chats.jsonl': lines.join('\n') + '\n', 'r.yaml': recipe('skip') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(readStageJsonl(p, 'convert', 'data.jsonl').map((e) => e.messages[0].content)).toEqual(['first', 'third']);
    expect(readStageJson(p, 'convert', 'report.json').findings).toMatchObject([{ kind: 'line_too_long', line: 2, message: expect.stringContaining('over max_line_bytes (4,096)') }]);
    p.write('r.yaml', recipe('fail'));
    const failed = await p.run(['run', 'r.yaml']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error: <root>/data/chats.jsonl:2: stage "convert": line is 10,');
  });
});
