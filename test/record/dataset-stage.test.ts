import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import datasetStage from '../../stages/dataset.js';
import { JsonlDatasetStore } from '../../src/record/jsonl-dataset-store.js';
import { runStage } from '../helpers/run-stage.js';

const readJsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

async function workspaceWithDataset() {
  const workspace = mkdtempSync(join(tmpdir(), 'ftpipe-dataset-stage-'));
  const store = new JsonlDatasetStore(join(workspace, '.ftpipe', 'datasets'));
  const rows = [
    { q: 'proxy drops packets', source: 'prod', label: 'proxy' },
    { q: 'agent restarts', source: 'staging', label: 'agent' },
    { q: 'service unreachable', source: 'prod', label: 'transit' },
    { q: 'flow export missing', source: 'prod', label: 'agent' },
  ];
  for (const r of rows) {
    await store.append('triage', { messages: [{ role: 'user', content: r.q }, { role: 'assistant', content: r.label }], metadata: { source: r.source, label: r.label, model: 'gpt-4o-mini' } });
  }
  return { workspace, store };
}

describe('dataset stage', () => {
  it('selects records by metadata (keys AND, listed values OR) and drops the tags', async () => {
    const { workspace } = await workspaceWithDataset();
    const run = await runStage(datasetStage, { workspace, params: { name: 'triage', where: { source: 'prod', label: ['agent', 'transit'] } } });
    expect(readJsonl(run.outputs.data)).toEqual([
      { messages: [{ role: 'user', content: 'service unreachable' }, { role: 'assistant', content: 'transit' }] },
      { messages: [{ role: 'user', content: 'flow export missing' }, { role: 'assistant', content: 'agent' }] },
    ]);
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8'))).toMatchObject({ dataset: 'triage', records_read: 4, records_selected: 2, filtered_out: 2, skipped_lines: 0 });
    expect(run.result).toMatchObject({ summary: '2 of 4 record(s) selected' });
  });

  it('reads an explicit file, keeps metadata on request, stops at limit and skips a torn line', async () => {
    const { workspace, store } = await workspaceWithDataset();
    appendFileSync(store.fileOf('triage'), '{"messages":[{"ro');
    const run = await runStage(datasetStage, { workspace, params: { file: '.ftpipe/datasets/triage.jsonl', keep_metadata: true } });
    const out = readJsonl(run.outputs.data);
    expect(out).toHaveLength(4);
    expect(out[0].metadata).toEqual({ source: 'prod', label: 'proxy', model: 'gpt-4o-mini' });
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect(report).toMatchObject({ skipped_lines: 1, problems: [{ line: 5, message: expect.stringMatching(/incomplete last line/) }] });
    expect(run.logs.some((l) => l.level === 'warn')).toBe(true);

    const limited = await runStage(datasetStage, { workspace, params: { name: 'triage', limit: 1 } });
    expect(readJsonl(limited.outputs.data)).toHaveLength(1);
  });

  it('names a missing dataset and a bad name clearly', async () => {
    const { workspace } = await workspaceWithDataset();
    await expect(runStage(datasetStage, { workspace, params: { name: 'nope' } })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND', message: expect.stringContaining('nope.jsonl') });
    await expect(runStage(datasetStage, { workspace, params: { name: '../x' } })).rejects.toMatchObject({ code: 'DATASET_NAME_INVALID' });
    await expect(runStage(datasetStage, { workspace, params: {} })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
  });

  it('has a params schema that describes every property and rejects unknown params', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/stages/dataset.schema.json'), 'utf8'));
    expect(schema.$id).toBe('https://ftpipe.dev/schemas/stages/dataset.schema.json');
    for (const [prop, def] of Object.entries<any>(schema.properties)) expect(def.description, prop).toBeTruthy();
    const check = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
    expect(check({ name: 'triage', where: { source: 'prod', label: ['a', 'b'], v: 2 }, limit: 10, keep_metadata: false })).toBe(true);
    expect(check({ file: '.ftpipe/datasets/triage.jsonl' })).toBe(true);
    expect(check({ where: { source: 'prod' } })).toBe(false); // neither name nor file
    expect(check({ name: '../etc' })).toBe(false);
    expect(check({ name: 'x', filter: 'y' })).toBe(false);
  });
});
