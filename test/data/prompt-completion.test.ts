import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import promptCompletion from '../../stages/prompt-completion.js';
import { runStage } from '../helpers/run-stage.js';
import { readJson, readJsonl } from './read-jsonl.js';

const fixture = join(import.meta.dirname, '../fixtures/prompt-completion/rico5550-train-pc.jsonl');

describe('prompt-completion stage', () => {
  it('converts every legacy row (both separator styles) to chat and back', async () => {
    const source = readJsonl(fixture);
    const chat = await runStage(promptCompletion, { params: { input: fixture, sys_prompt: 'You explain tic-tac-toe.' } });
    const examples = readJsonl(chat.outputs.data);
    expect(examples).toHaveLength(readFileSync(fixture, 'utf8').trim().split('\n').length);
    expect(examples[0].messages).toEqual([
      { role: 'system', content: 'You explain tic-tac-toe.' },
      { role: 'user', content: 'Two players' },
      { role: 'assistant', content: 'There are two players in the game.' },
    ]);
    const back = await runStage(promptCompletion, { params: { input: chat.outputs.data, direction: 'to-prompt-completion' } });
    expect(readJsonl(back.outputs.data)).toEqual(source);
  });

  it('strips and adds the legacy separator, stop sequence and leading space', async () => {
    const options = { separator: '\n\n###\n\n', stop: ' END', leading_space: true };
    const chat = await runStage(promptCompletion, { params: { input: fixture, direction: 'to-chat' } });
    const legacy = await runStage(promptCompletion, { params: { input: chat.outputs.data, direction: 'to-prompt-completion', ...options } });
    const first = readJsonl(legacy.outputs.data)[0];
    expect(first).toEqual({ prompt: 'Two players\n\n###\n\n', completion: ' There are two players in the game. END' });
    const again = await runStage(promptCompletion, { params: { input: legacy.outputs.data, ...options } });
    expect(readJsonl(again.outputs.data)).toEqual(readJsonl(chat.outputs.data));
  });

  it('reports rows without a completion by line', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'pc-')), 'pc.jsonl');
    writeFileSync(file, '{"prompt": "a", "completion": "b"}\n{"prompt": "c"}\n');
    const run = await runStage(promptCompletion, { params: { input: file, on_error: 'skip' } });
    expect(readJson(run.outputs.report).findings[0]).toMatchObject({ line: 2, kind: 'unconvertible', message: 'row has no string "completion"' });
  });
});
