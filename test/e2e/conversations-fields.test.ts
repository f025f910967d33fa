/**
 * conversations through the real CLI: a leading assistant turn is dropped as FastChat does (or fails
 * when asked), per-turn weight and top-level tools reach the chat example, and validate accepts the result.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';
import { readStageJson, readStageJsonl } from './stage-output.js';

const weather = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const records = [
  { id: 'greeting-first', conversations: [{ from: 'gpt', value: 'Hello! How can I help?' }, { from: 'human', value: 'Hi' }, { from: 'gpt', value: 'Hi there' }] },
  { id: 'weighted', conversations: [{ from: 'human', value: 'Q1' }, { from: 'gpt', value: 'bad answer', weight: 0 }, { from: 'human', value: 'Q2' }, { from: 'gpt', value: 'good answer', weight: 1 }] },
  // LLaMA-Factory writes tools as JSON text of bare function definitions.
  { id: 'tools-text', tools: JSON.stringify([weather]), conversations: [{ from: 'human', value: 'Weather in Paris?' }, { from: 'gpt', value: 'I can look that up.' }] },
  { id: 'tools-list', tools: [{ type: 'function', function: weather }], conversations: [{ from: 'human', value: 'And Rome?' }, { from: 'gpt', value: 'Sure.' }] },
];
const recipe = (extra: string) =>
  `name: c\nstages:\n  convert:\n    uses: conversations\n    with:\n      input: data/chats.json\n${extra}  check:\n    uses: validate\n    with:\n      input: \${{ stages.convert.outputs.data }}\n      model: gpt-4o-mini-2024-07-18\n      fail_on: [format_error]\n`;

describe('conversations keeps what reaches training', () => {
  it('drops a leading assistant turn, carries weight and tools, and validate accepts the examples', async () => {
    const p = makeProject({ 'data/chats.json': JSON.stringify(records, null, 2), 'r.yaml': recipe('') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    const examples = readStageJsonl(p, 'convert', 'data.jsonl');
    expect(examples[0].messages).toEqual([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hi there' }]);
    expect(examples[1].messages.filter((m: any) => m.role === 'assistant').map((m: any) => m.weight)).toEqual([0, 1]);
    expect(examples[2].tools).toEqual([{ type: 'function', function: weather }]);
    expect(examples[3].tools).toEqual([{ type: 'function', function: weather }]);
    const report = readStageJson(p, 'convert', 'report.json');
    expect(report.findings).toMatchObject([{ kind: 'leading_assistant_dropped', severity: 'warning', line: 2 }]);
    expect(readStageJson(p, 'check', 'report.json').format_errors).toEqual({});
  });

  it('on_leading_assistant: fail makes such a conversation a located broken row', async () => {
    const p = makeProject({ 'data/chats.json': JSON.stringify(records, null, 2), 'r.yaml': recipe('      on_leading_assistant: fail\n') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: <root>/data/chats.json:2: stage "convert": record 0 (id "greeting-first"): conversations[0] is an assistant turn before any user turn');
    expect(run.stderr).toContain('on_leading_assistant: drop');
  });
});
