import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import clean from '../../stages/clean.js';
import { CommonPrefix, cutAtWordBoundary } from '../../src/data/common-prefix.js';
import { runStage } from '../helpers/run-stage.js';
import { readJson, readJsonl } from './read-jsonl.js';

const ex = (user: string, assistant = 'A', system?: string) => ({
  messages: [...(system === undefined ? [] : [{ role: 'system', content: system }]), { role: 'user', content: user }, { role: 'assistant', content: assistant }],
});

function file(rows: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'clean-prefix-')), 'in.jsonl');
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

/** 42 characters, ending at a word boundary (the space after "Log:"). */
const PREFIX = 'Classify the log line as A, B, or C. Log: ';
const users = ['error: disk full', 'errno 28 on /var', 'err timeout after 30s'];
const PREFIXED = users.map((u, i) => ex(PREFIX + u, 'ABC'[i]));
const RULES = ['normalize-whitespace', 'strip-common-prefix', 'dedupe-exact'];

describe('clean rule strip-common-prefix', () => {
  it('finds the running common prefix and cuts it back to a word boundary', () => {
    expect(PREFIX).toHaveLength(42);
    const lcp = new CommonPrefix();
    for (const u of users) lcp.add(PREFIX + u);
    expect(lcp.value).toBe(PREFIX + 'err'); // every log line starts with "err"
    expect(cutAtWordBoundary(lcp.value, 20)).toBe(PREFIX); // ... but "err" is not cut out of "errno"
    expect(cutAtWordBoundary('Classify: foo', 20)).toBe('');
    expect(cutAtWordBoundary('Classify: foo', 5)).toBe('Classify: ');
    expect(cutAtWordBoundary('Classify,bar', 5)).toBe('Classify,');
  });

  it('strips a shared 40+ char prefix at a word boundary and counts it', async () => {
    const multiTurn = { messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: PREFIX + 'err one' }, { role: 'assistant', content: 'A' }, { role: 'user', content: PREFIX + 'again' }, { role: 'assistant', content: 'B' }] };
    const run = await runStage(clean, { params: { input: file([...PREFIXED, multiTurn]), rules: RULES } });
    const out = readJsonl(run.outputs.data);
    expect(out.slice(0, 3)).toEqual(users.map((u, i) => ex(u, 'ABC'[i])));
    // Only the first user message is stripped; the system prompt and later turns are kept.
    expect(out[3].messages.map((m: any) => m.content)).toEqual(['sys', 'err one', 'A', PREFIX + 'again', 'B']);
    const rule = readJson(run.outputs.report).rules['strip-common-prefix'];
    expect(rule).toMatchObject({ count: 4, prefix: PREFIX, prefix_chars: PREFIX.length, min_prefix_chars: 20 });
    expect(rule.examples[0]).toMatchObject({ line: 1, detail: `stripped ${PREFIX.length}-char common prefix` });
    expect(run.result).toMatchObject({ summary: expect.stringContaining('strip-common-prefix 4') });
  });

  it('keeps a message that is only the prefix, as a finding, and trims the whitespace after the cut', async () => {
    // "…Log:" alone (normalize-whitespace trims its trailing space) moves the cut before the space.
    const run = await runStage(clean, { params: { input: file([...PREFIXED, ex(PREFIX.trim(), 'C')]), rules: RULES } });
    const out = readJsonl(run.outputs.data);
    expect(out.map((e: any) => e.messages[0].content)).toEqual([...users, PREFIX.trim()]);
    const report = readJson(run.outputs.report);
    expect(report.rules['strip-common-prefix']).toMatchObject({ count: 3, prefix: PREFIX.trim() });
    expect(report.finding_counts).toEqual({ prefix_only_message: 1 });
    expect(report.findings[0]).toMatchObject({ kind: 'prefix_only_message', severity: 'warning', line: 4 });
  });

  it('leaves a common prefix shorter than min_prefix_chars alone', async () => {
    const rows = [ex('Classify: disk full'), ex('Classify: timeout'), ex('Classify: ok')]; // 10-char prefix
    const run = await runStage(clean, { params: { input: file(rows), rules: RULES } });
    expect(readJsonl(run.outputs.data)).toEqual(rows);
    expect(readJson(run.outputs.report).rules['strip-common-prefix']).toMatchObject({ count: 0, examples: [], prefix: '', prefix_chars: 0 });
    const lower = await runStage(clean, { params: { input: file(rows), rules: RULES, min_prefix_chars: 5 } });
    expect(readJsonl(lower.outputs.data).map((e: any) => e.messages[0].content)).toEqual(['disk full', 'timeout', 'ok']);
  });

  it('only reports with fix: false', async () => {
    const run = await runStage(clean, { params: { input: file(PREFIXED), rules: RULES, fix: false } });
    expect(readJsonl(run.outputs.data)).toEqual(PREFIXED);
    expect(readJson(run.outputs.report).rules['strip-common-prefix']).toMatchObject({ count: 3, prefix: PREFIX, prefix_chars: 42 });
  });

  it('is not applied unless listed in rules', async () => {
    const run = await runStage(clean, { params: { input: file(PREFIXED) } });
    expect(readJsonl(run.outputs.data)).toEqual(PREFIXED);
    expect(readJson(run.outputs.report).rules['strip-common-prefix']).toBeUndefined();
  });

  it('finds no prefix when the first user messages differ', async () => {
    const rows = [ex(PREFIX + 'one'), ex('Something else entirely, with enough characters'), ex(PREFIX + 'two')];
    const run = await runStage(clean, { params: { input: file(rows), rules: RULES } });
    expect(readJsonl(run.outputs.data)).toEqual(rows);
    expect(readJson(run.outputs.report).rules['strip-common-prefix']).toMatchObject({ count: 0, prefix: '' });
    // A single example is no evidence of a shared prefix either.
    const one = await runStage(clean, { params: { input: file([ex(PREFIX + 'one')]), rules: RULES } });
    expect(readJsonl(one.outputs.data)).toEqual([ex(PREFIX + 'one')]);
  });

  it('ignores broken rows and examples the earlier rules drop when finding the prefix', async () => {
    const path = file([...PREFIXED, { messages: [{ role: 'user', content: 'no answer here, unrelated' }] }]);
    writeFileSync(path, '{not json\n', { flag: 'a' });
    const run = await runStage(clean, { params: { input: path, rules: ['require-assistant', 'strip-common-prefix'], on_error: 'skip' } });
    expect(readJsonl(run.outputs.data).map((e: any) => e.messages[0].content)).toEqual(users);
    const report = readJson(run.outputs.report);
    expect(report.rules['require-assistant'].count).toBe(1);
    expect(report.finding_counts).toEqual({ invalid_json: 1 });
  });
});
