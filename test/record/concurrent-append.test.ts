import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { JsonlDatasetStore } from '../../src/record/jsonl-dataset-store.js';
import type { DatasetLineProblem, DatasetRecord } from '../../src/record/dataset-store.js';

const WRITERS = 4;
const APPENDS = 200;

describe('appends from several processes at once', () => {
  it(`${WRITERS} processes × ${APPENDS} appends (lines up to ~100 KiB) lose, duplicate and tear nothing`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-append-'));
    const worker = join(dir, 'worker.mjs');
    await build({ entryPoints: [join(import.meta.dirname, 'append-worker.ts')], bundle: true, platform: 'node', format: 'esm', outfile: worker, logLevel: 'silent' });
    const started = Date.now();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => execa('node', [worker, dir, 'shared', `w${w}`, String(APPENDS), String(w + 1)])));
    const elapsed = Date.now() - started;

    const raw = readFileSync(join(dir, 'shared.jsonl'), 'utf8');
    const lines = raw.split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    const records = lines.map((line) => JSON.parse(line) as DatasetRecord); // throws on any torn line
    const ids = records.map((r) => r.metadata.id);
    expect(new Set(ids).size).toBe(WRITERS * APPENDS);
    expect(ids.length).toBe(WRITERS * APPENDS);
    for (const r of records) {
      const content = String(r.messages[1].content);
      expect(createHash('sha256').update(content).digest('hex').slice(0, 16)).toBe(r.metadata.digest);
    }
    const big = records.filter((r) => String(r.messages[1].content).length > 4096).length;
    expect(big).toBeGreaterThan(WRITERS * APPENDS / 3);
    console.log(`${WRITERS * APPENDS} appends (${big} lines > 4 KiB, ${(raw.length / 1e6).toFixed(1)} MB) from ${WRITERS} processes in ${elapsed} ms`);
  });

  it('a torn last line from a crashed writer does not swallow the next record; readers skip and report it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-torn-'));
    const store = new JsonlDatasetStore(dir);
    const record = (id: string): DatasetRecord => ({ messages: [{ role: 'user', content: id }, { role: 'assistant', content: 'ok' }], metadata: { id } });
    await store.append('d', record('first'));
    appendFileSync(join(dir, 'd.jsonl'), '{"messages": [{"role": "user", "cont'); // the crash
    const readAll = async () => {
      const problems: DatasetLineProblem[] = [];
      const ids: string[] = [];
      for await (const r of store.read('d', { onProblem: (p) => problems.push(p) })) ids.push(r.metadata.id);
      return { ids, problems };
    };
    const torn = await readAll();
    expect(torn.ids).toEqual(['first']);
    expect(torn.problems).toMatchObject([{ line: 2, message: expect.stringMatching(/^incomplete last line/) }]);

    await store.append('d', record('second'));
    const after = await readAll();
    expect(after.ids).toEqual(['first', 'second']);
    expect(after.problems).toMatchObject([{ line: 2, message: expect.stringMatching(/^a torn record .* was skipped/) }]);
    // A fragment whose text happens to look like a record start is still not taken for one.
    appendFileSync(join(dir, 'd.jsonl'), '{"messages": [{"role": "user", "content": "{\\"messages\\":');
    await store.append('d', record('third'));
    expect((await readAll()).ids).toEqual(['first', 'second', 'third']);
  });
});
