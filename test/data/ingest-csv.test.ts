import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ingestCsv from '../../stages/ingest-csv.js';
import { runStage } from '../helpers/run-stage.js';
import { readJson, readJsonl } from './read-jsonl.js';

const csv = (name: string) => join(import.meta.dirname, '../fixtures/csv', `loghub-${name}_2k.log_structured.csv`);

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'csv-')), name);
  writeFileSync(path, content);
  return path;
}

describe('ingest-csv stage', () => {
  it('labels log lines with the system named in the file name (the demo recipe)', async () => {
    const run = await runStage(ingestCsv, {
      params: {
        input: [csv('Apache'), csv('Linux'), csv('HDFS')],
        sys_prompt: 'Name the system that wrote the log line.',
        user: 'Log line: {Content}',
        assistant: '{system}',
        file_pattern: '^loghub-(?<system>[A-Za-z]+)_',
        limit_per_file: 50,
      },
    });
    const examples = readJsonl(run.outputs.data);
    expect(examples).toHaveLength(150);
    expect(examples[0].messages).toEqual([
      { role: 'system', content: 'Name the system that wrote the log line.' },
      { role: 'user', content: 'Log line: workerEnv.init() ok /etc/httpd/conf/workers2.properties' },
      { role: 'assistant', content: 'Apache' },
    ]);
    expect(examples.map((e) => e.messages[2].content).filter((c: string, i: number, a: string[]) => a.indexOf(c) === i)).toEqual(['Apache', 'Linux', 'HDFS']);
  });

  it('filters with where and caps per label', async () => {
    const run = await runStage(ingestCsv, {
      params: { input: csv('Apache'), user: '{Content}', assistant: '{Level}', where: { Level: ['error', 'notice'] }, max_per_label: 3, limit: 100 },
    });
    const labels = readJsonl(run.outputs.data).map((e) => e.messages[1].content);
    expect(labels.sort()).toEqual(['error', 'error', 'error', 'notice', 'notice', 'notice']);
    const not = await runStage(ingestCsv, { params: { input: csv('Apache'), user: '{Content}', assistant: '{Level}', where: { Level: { not: 'notice' } } } });
    expect(readJsonl(not.outputs.data).every((e) => e.messages[1].content !== 'notice')).toBe(true);
  });

  it('names the real columns when a template uses an unknown one', async () => {
    await expect(runStage(ingestCsv, { params: { input: csv('Linux'), user: '{Message}', assistant: '{Component}' } })).rejects.toMatchObject({
      message: expect.stringContaining('user uses column "Message"'),
      hint: expect.stringContaining('"LineId", "Month", "Date", "Time", "Level", "Component", "PID", "Content", "EventId", "EventTemplate"'),
    });
  });

  it('handles a BOM, CRLF, quoted multi-line cells, TSV, JSON cells and bad rows with their lines', async () => {
    const file = tempFile(
      'rows.csv',
      '\uFEFFid,text,meta\r\n1,"first\r\nline",\"[\"\"{\\\"\"sev\\\"\": \\\"\"high\\\"\"}\"\"]\"\r\n2,short\r\n3,"ok",\"[\"\"{\\\"\"sev\\\"\": \\\"\"low\\\"\"}\"\"]\"\r\n4,bad,not json\r\n',
    );
    const run = await runStage(ingestCsv, { params: { input: file, user: '{text} #{id} @{_line}', assistant: '{meta.sev}', json_cells: ['meta'], on_error: 'skip' } });
    expect(readJsonl(run.outputs.data).map((e) => e.messages)).toEqual([
      [{ role: 'user', content: 'first\r\nline #1 @2' }, { role: 'assistant', content: 'high' }],
      [{ role: 'user', content: 'ok #3 @5' }, { role: 'assistant', content: 'low' }],
    ]);
    const report = readJson(run.outputs.report);
    expect(report.findings.map((f: any) => [f.kind, f.line])).toEqual([['bad_row', 4], ['bad_json_cell', 6]]);
    await expect(runStage(ingestCsv, { params: { input: file, user: '{text}', assistant: '{meta.sev}', json_cells: ['meta'] } })).rejects.toMatchObject({
      message: 'row has 2 cells, the header has 3',
      location: { file, line: 4 },
    });

    const tsv = tempFile('rows.tsv', 'q\ta\nwhat?\tthis\n');
    const t = await runStage(ingestCsv, { params: { input: tsv, user: 'Q: {q}', assistant: '{a}' } });
    expect(readJsonl(t.outputs.data)[0].messages[1]).toEqual({ role: 'assistant', content: 'this' });
  });
});
