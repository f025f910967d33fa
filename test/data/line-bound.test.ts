import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from '../../src/data/line-reader.js';
import { readRecords } from '../../src/data/records.js';
import type { Finding } from '../../src/data/findings.js';

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lines-')), 'in.jsonl');
  writeFileSync(path, content);
  return path;
}

describe('max_line_bytes', () => {
  it('skips a line over the bound across read chunks, and keeps one exactly at it', async () => {
    const max = 2 * 1024 * 1024;
    const file = tempFile(`a\n${'x'.repeat(3 * 1024 * 1024)}\n${'y'.repeat(max)}\r\nlast`);
    const lines = [];
    for await (const l of readLines(file, undefined, { maxLineBytes: max + 1 })) lines.push({ line: l.line, tooLong: l.tooLong ?? false, length: l.text?.length ?? null, bytes: l.bytes });
    expect(lines).toEqual([
      { line: 1, tooLong: false, length: 1, bytes: 2 },
      { line: 2, tooLong: true, length: null, bytes: 3 * 1024 * 1024 + 1 },
      { line: 3, tooLong: false, length: max, bytes: max + 2 },
      { line: 4, tooLong: false, length: 4, bytes: 4 },
    ]);
  });

  it('reports an over-long JSONL line and reads on; in a JSON array it stops that file', async () => {
    const ok = JSON.stringify({ n: 1 });
    const problems: Finding[] = [];
    const read = async (content: string) => {
      const values = [];
      for await (const r of readRecords([tempFile(content)], { onProblem: (f) => problems.push(f), maxLineBytes: 100 })) values.push(r.value);
      return values;
    };
    expect(await read(`${ok}\n${JSON.stringify({ big: 'z'.repeat(500) })}\n${ok}\n`)).toEqual([{ n: 1 }, { n: 1 }]);
    expect(problems.map((p) => [p.kind, p.line])).toEqual([['line_too_long', 2]]);
    problems.length = 0;
    expect(await read(`[\n  ${ok},\n  ${JSON.stringify({ big: 'z'.repeat(500) })},\n  ${ok}\n]\n`)).toEqual([{ n: 1 }]);
    expect(problems).toMatchObject([{ kind: 'line_too_long', line: 3, message: expect.stringContaining('the rest of this JSON array is not read') }]);
    problems.length = 0;
    const tall = `{\n${Array.from({ length: 20 }, (_, i) => `    "k${i}": "${'v'.repeat(20)}"`).join(',\n')}\n  }`;
    expect(await read(`[\n  ${tall},\n  ${ok}\n]\n`)).toEqual([{ n: 1 }]);
    expect(problems).toMatchObject([{ kind: 'line_too_long', line: 2, message: expect.stringContaining('array element is over max_line_bytes') }]);
  });
});
