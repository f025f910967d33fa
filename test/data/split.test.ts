import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import split from '../../stages/split.js';
import { runStage } from '../helpers/run-stage.js';
import { readJson, readJsonl } from './read-jsonl.js';

const ex = (i: number, label: string) => ({ messages: [{ role: 'user', content: `text ${i}` }, { role: 'assistant', content: label }] });

function write(rows: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'split-')), 'in.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

const key = (e: unknown) => JSON.stringify(e);

describe('split stage', () => {
  it('is deterministic and stable when examples are appended', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => ex(i, i % 2 ? 'a' : 'b'));
    const first = await runStage(split, { params: { input: write(rows), validation_ratio: 0.2, seed: 7 } });
    const again = await runStage(split, { params: { input: write(rows), validation_ratio: 0.2, seed: 7 } });
    const validation = new Set(readJsonl(first.outputs.validation).map(key));
    expect(readJsonl(again.outputs.validation).map(key)).toEqual([...validation]);
    expect(validation.size).toBeGreaterThan(50);
    expect(validation.size).toBeLessThan(110);
    const grown = await runStage(split, { params: { input: write([...rows, ...Array.from({ length: 200 }, (_, i) => ex(1000 + i, 'c'))]), validation_ratio: 0.2, seed: 7 } });
    const grownValidation = new Set(readJsonl(grown.outputs.validation).map(key));
    for (const row of rows) expect(grownValidation.has(key(row))).toBe(validation.has(key(row)));
  });

  it('stratifies by label exactly and keeps duplicates on one side', async () => {
    const rows = [...Array.from({ length: 30 }, (_, i) => ex(i, "'transit'")), ...Array.from({ length: 10 }, (_, i) => ex(i, "'proxy'"))];
    const dupes = [...rows, ...rows.slice(0, 10)];
    const run = await runStage(split, { params: { input: write(dupes), validation_ratio: 0.2, task_type: 'classification' } });
    const report = readJson(run.outputs.report);
    expect(report.stratified).toBe(true);
    expect(report.labels["'proxy'"].validation).toBe(2);
    const train = new Set(readJsonl(run.outputs.train).map(key));
    for (const v of readJsonl(run.outputs.validation)) expect(train.has(key(v))).toBe(false);
    expect(report.train + report.validation).toBe(50);
  });

  it('splits by count and reports broken rows by line', async () => {
    const file = write([...Array.from({ length: 20 }, (_, i) => ex(i, 'x')), { nope: 1 }]);
    const run = await runStage(split, { params: { input: file, validation_count: 5, on_error: 'skip' } });
    expect(readJsonl(run.outputs.validation)).toHaveLength(5);
    expect(readJson(run.outputs.report).findings).toEqual([expect.objectContaining({ line: 21, kind: 'not_chat_example' })]);
    await expect(runStage(split, { params: { input: file, validation_count: 5 } })).rejects.toMatchObject({ location: { file, line: 21 } });
  });
});
