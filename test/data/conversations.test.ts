import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import conversations from '../../stages/conversations.js';
import { runStage } from '../helpers/run-stage.js';
import { readJson, readJsonl } from './read-jsonl.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const antrea = join(fixtures, 'sharegpt/antrea-issues.json');

describe('conversations stage', () => {
  it('reproduces data_process.py for classification', async () => {
    const run = await runStage(conversations, { params: { input: antrea, sys_prompt: 'You are a helpful assistant.', task_type: 'classification' } });
    expect(readJsonl(run.outputs.data)).toEqual(readJsonl(join(fixtures, 'expected/antrea-issues.classification.messages.jsonl')));
  });

  it('reproduces data_process.py for answering', async () => {
    const run = await runStage(conversations, { params: { input: antrea, sys_prompt: 'You are a helpful assistant.' } });
    expect(readJsonl(run.outputs.data)).toEqual(readJsonl(join(fixtures, 'expected/antrea-issues.answering.messages.jsonl')));
    expect(run.result).toMatchObject({ summary: '6 examples from 6 conversations' });
  });

  it('converts the FastChat files in full, keeping each record system prompt', async () => {
    const plain = await runStage(conversations, { params: { input: join(fixtures, 'sharegpt/fastchat-dummy-conversation.json') } });
    const source = readJson(join(fixtures, 'sharegpt/fastchat-dummy-conversation.json'));
    const out = readJsonl(plain.outputs.data);
    expect(out).toHaveLength(source.length);
    expect(out[0].messages).toEqual([
      { role: 'user', content: 'Who are you?' },
      { role: 'assistant', content: 'I am Vicuna, a language model trained by researchers from Large Model Systems Organization (LMSYS).' },
      { role: 'user', content: 'Have a nice day!' },
      { role: 'assistant', content: 'You too!' },
    ]);
    const withSystem = await runStage(conversations, { params: { input: join(fixtures, 'sharegpt/fastchat-dummy-conversation-with-system.json'), sys_prompt: 'fallback' } });
    const sys = readJsonl(withSystem.outputs.data);
    const sysSource = readJson(join(fixtures, 'sharegpt/fastchat-dummy-conversation-with-system.json'));
    expect(sys).toHaveLength(sysSource.length);
    expect(sys[1].messages[0]).toEqual({ role: 'system', content: sysSource[1].system });
    expect(sys[1].messages.length).toBe(sysSource[1].conversations.length + 1);
  });

  it('reports broken records with file, line and id, and skips them with on_error: skip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conv-'));
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'ok', conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }] }),
        JSON.stringify({ id: 'twice', conversations: [{ from: 'human', value: 'a' }, { from: 'human', value: 'b' }] }),
        '{"id": "broken", ',
        JSON.stringify({ id: 'empty', conversations: [{ from: 'human', value: ' ' }, { from: 'gpt', value: 'x' }] }),
        JSON.stringify({ id: 'tool', conversations: [{ from: 'human', value: 'a' }, { from: 'function_call', value: '{}' }] }),
        JSON.stringify({ conversations: [] }),
      ].join('\n'),
    );
    const run = await runStage(conversations, { params: { input: file, on_error: 'skip' } });
    expect(readJsonl(run.outputs.data)).toHaveLength(1);
    const report = readJson(run.outputs.report);
    expect(report.findings.map((f: any) => [f.line, f.kind])).toEqual([
      [2, 'non_alternating'],
      [3, 'invalid_json'],
      [4, 'empty_turn'],
      [5, 'unsupported_role'],
      [6, 'empty_conversation'],
    ]);
    expect(report.findings[0].message).toContain('id "twice"');
    await expect(runStage(conversations, { params: { input: file } })).rejects.toMatchObject({ message: expect.stringMatching(/^record 1 \(id "twice"\)/), location: { file, line: 2 } });
  });
});
