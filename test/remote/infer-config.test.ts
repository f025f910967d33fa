import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInferConfig } from '../../src/remote/infer-config.js';
import { readInferInputs } from '../../src/remote/infer-inputs.js';

const fixture = (p: string) => join(import.meta.dirname, '../fixtures', p);

describe('infer.cfg', () => {
  it('reads the original file; placeholders are unset', async () => {
    const { config, warnings } = await readInferConfig(fixture('cfg/infer.cfg'));
    expect(config).toEqual({ max_tokens: 2048, temperature: 0, sys_prompt: 'You are a helpful assistant.', user_input: 'please give me a number between 0 and 10' });
    expect(warnings).toEqual([]);
  });

  it('ignores a real key with a warning, and names the line of a bad value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-cfg-'));
    writeFileSync(join(dir, 'a.cfg'), 'openai_api_key = sk-abc\nmodel = ft:x\n');
    const { config, warnings } = await readInferConfig(join(dir, 'a.cfg'));
    expect(config).toEqual({ model: 'ft:x' });
    expect(warnings[0]).toMatch(/a\.cfg:1: openai_api_key is ignored: set OPENAI_API_KEY/);
    expect(JSON.stringify(warnings)).not.toContain('sk-abc');
    writeFileSync(join(dir, 'b.cfg'), 'model = m\nmax_tokens = lots\n');
    await expect(readInferConfig(join(dir, 'b.cfg'))).rejects.toThrow(/b\.cfg:2: max_tokens must be a number/);
  });
});

describe('infer inputs', () => {
  it('holds back the last assistant message of chat examples as expected', async () => {
    const inputs = [];
    for await (const input of readInferInputs(fixture('expected/antrea-issues.classification.messages.jsonl'), {})) inputs.push(input);
    expect(inputs).toHaveLength(6);
    expect(inputs[0].messages.at(-1)!.role).toBe('user');
    expect(inputs[0].expected).toBe("'transit'");
    expect(inputs[0].line).toBe(1);
  });

  it('reads {"input"} lines and names file:line of a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-in-'));
    writeFileSync(join(dir, 'in.jsonl'), '{"input":"hi","expected":"yo"}\n{"prompt":"no"}\n');
    const read = async () => {
      const all = [];
      for await (const input of readInferInputs(join(dir, 'in.jsonl'), { sysPrompt: 'S' })) all.push(input);
      return all;
    };
    await expect(read()).rejects.toThrow(/in\.jsonl:2: expected a chat example/);
  });
});
