import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { JsonlDatasetStore } from '../../src/record/jsonl-dataset-store.js';
import { exportDataset, listDatasets, showDataset } from '../../src/record/datasets-commands.js';
import { register } from '../../src/cli/datasets.js';

async function datasetsDir() {
  const dir = mkdtempSync(join(tmpdir(), 'ftpipe-datasets-cli-'));
  const store = new JsonlDatasetStore(dir);
  for (const [i, source] of ['prod', 'staging', 'prod'].entries()) {
    await store.append('support', { messages: [{ role: 'user', content: `question ${i}\nwith two lines` }, { role: 'assistant', content: `answer ${i}` }], metadata: { source } });
  }
  await store.append('other', { messages: [{ role: 'user', content: 'x' }], metadata: {} });
  return dir;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, write: (t: string) => void out.push(t), warn: (t: string) => void err.push(t) };
}

describe('ftpipe datasets', () => {
  it('ls lists datasets with record counts', async () => {
    const dir = await datasetsDir();
    const io = capture();
    await listDatasets({ dir, ...io });
    const text = io.out.join('').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>').replace(/ *[\d.]+ (B|KiB|MiB)/g, ' <size>');
    expect(text).toMatchInlineSnapshot(`
      "NAME      RECORDS       SIZE  MODIFIED
      other           1 <size>  <time>
      support         3 <size>  <time>
      "
    `);
    const empty = capture();
    await listDatasets({ dir: join(dir, 'missing'), ...empty });
    expect(empty.out.join('')).toMatch(/^no datasets in /);
  });

  it('show prints records readably, filtered and limited', async () => {
    const dir = await datasetsDir();
    const io = capture();
    await showDataset('support', { dir, where: ['source=prod'], limit: 1, ...io });
    expect(io.out.join('')).toMatchInlineSnapshot(`
      "#1  source=prod
        user      question 0 with two lines
        assistant answer 0

      "
    `);
  });

  it('export writes chat JSONL without metadata, through the commander command', async () => {
    const dir = await datasetsDir();
    const to = join(dir, 'export.jsonl');
    const program = new Command().exitOverride();
    register(program);
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'ftpipe', 'datasets', 'export', 'support', '--dir', dir, '--to', to, '--where', 'source=prod', '--where', 'source=staging']);
    } finally {
      process.stdout.write = write;
    }
    const lines = readFileSync(to, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ messages: [{ role: 'user', content: 'question 0\nwith two lines' }, { role: 'assistant', content: 'answer 0' }] });
  });

  it('reports bad names and bad --where clearly', async () => {
    const dir = await datasetsDir();
    await expect(exportDataset('../support', { dir, to: join(dir, 'x.jsonl'), ...capture() })).rejects.toMatchObject({ code: 'DATASET_NAME_INVALID', exitCode: 2 });
    await expect(showDataset('support', { dir, where: ['source'], ...capture() })).rejects.toMatchObject({ code: 'WHERE_INVALID' });
    await expect(showDataset('nope', { dir, ...capture() })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
  });
});
