/**
 * ingest-csv on broken input through the real CLI: a quote inside an unquoted cell, invalid UTF-8,
 * binary files, huge headers and over-long lines are located, follow on_error, and never echo raw
 * bytes; relax_quotes reads such files as Python's csv module does.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { makeProject } from '../helpers/project.js';
import { readStageJson, readStageJsonl } from './stage-output.js';

const recipe = (params: string) => `name: csv\nstages:\n  ingest:\n    uses: ingest-csv\n    with:\n      input: data/rows.csv\n      user: "{text}"\n      assistant: "{label}"\n${params}`;

/** Rows a user of the original Python scripts had: stray quotes inside unquoted cells among good rows. */
const screens = [
  'id,text,label',
  '1,27" monitor,tv',
  '2,"quoted, with a comma",a',
  '3,"two\r\nlines",b',
  '4,"he said ""hi""",c',
  '5,12" x 8" frame,d',
  '6,plain,e',
  '',
].join('\r\n');

/** What Python's csv module makes of a file (csv.DictReader, newline=''), as [text, label] pairs. */
async function pythonRows(path: string): Promise<string[][]> {
  const script = 'import csv, json, sys\nwith open(sys.argv[1], newline="", encoding="utf-8") as f:\n    print(json.dumps([[r["text"], r["label"]] for r in csv.DictReader(f)]))';
  const { stdout } = await execa('python3', ['-c', script, path]);
  return JSON.parse(stdout);
}

/** Printable text only: no control bytes (besides newlines) and no U+FFFD from undecodable input. */
const unprintable = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffd]/;

describe('ingest-csv on broken input', () => {
  it('a quote inside an unquoted cell: skipped with on_error: skip, located, and the other rows kept', async () => {
    const p = makeProject({ 'data/rows.csv': screens, 'r.yaml': recipe('      on_error: skip\n') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(readStageJsonl(p, 'ingest', 'data.jsonl').map((e) => e.messages[0].content)).toEqual(['quoted, with a comma', 'two\r\nlines', 'he said "hi"', 'plain']);
    const report = readStageJson(p, 'ingest', 'report.json');
    expect(report.findings.map((f: any) => [f.kind, f.file, f.line])).toEqual([
      ['bad_quote', `${p.root}/data/rows.csv`, 2],
      ['bad_quote', `${p.root}/data/rows.csv`, 7],
    ]);
  });

  it('with on_error: fail the error names file:line once and says what to do', async () => {
    const p = makeProject({ 'data/rows.csv': screens, 'r.yaml': recipe('') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: <root>/data/rows.csv:2: stage "ingest": a quote inside an unquoted cell in cell 2');
    expect(run.stderr).toContain('relax_quotes: true');
    expect(run.stderr.split('rows.csv:2').length - 1).toBe(1);
  });

  it('relax_quotes reads the file as Python csv does', async () => {
    const p = makeProject({ 'data/rows.csv': screens, 'r.yaml': recipe('      relax_quotes: true\n') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    const ours = readStageJsonl(p, 'ingest', 'data.jsonl').map((e) => [e.messages[0].content, e.messages[1].content]);
    expect(ours).toEqual(await pythonRows(`${p.root}/data/rows.csv`));
    expect(ours[0]).toEqual(['27" monitor', 'tv']);
  });

  it('invalid UTF-8 is refused with file:line like the JSON stages, never replaced by U+FFFD', async () => {
    const p = makeProject({ 'r.yaml': recipe('      on_error: skip\n'), 'data/rows.csv': '' });
    writeFileSync(`${p.root}/data/rows.csv`, Buffer.concat([Buffer.from('text,label\ncaf'), Buffer.from([0xe9]), Buffer.from(',x\ngood,y\n')]));
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(readStageJsonl(p, 'ingest', 'data.jsonl').map((e) => e.messages[0].content)).toEqual(['good']);
    expect(readStageJson(p, 'ingest', 'report.json').findings).toMatchObject([{ kind: 'invalid_utf8', line: 2, message: 'line is not valid UTF-8' }]);
    p.write('r.yaml', recipe(''));
    const failed = await p.run(['run', 'r.yaml']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('<root>/data/rows.csv:2: stage "ingest": line is not valid UTF-8');
  });

  it('a binary file fails at its header without printing its bytes', async () => {
    const p = makeProject({ 'r.yaml': recipe('      on_error: skip\n'), 'data/rows.csv': '' });
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    writeFileSync(`${p.root}/data/rows.csv`, bytes);
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rows\.csv:1: stage "ingest": header row: /);
    expect(run.stdout + run.stderr).not.toMatch(unprintable);
  });

  it('a huge header is cut in the message, and its cells are escaped', async () => {
    const header = Array.from({ length: 20_000 }, (_, i) => `column_${i}\u001b[31m`).join(',');
    const p = makeProject({ 'data/rows.csv': `${header}\nx\n`, 'r.yaml': recipe('') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: <root>/data/rows.csv:1: stage "ingest": user uses column "text"; assistant uses column "label", but rows.csv has no such column');
    expect(run.stderr).toContain('… (20000 columns)');
    expect(run.stderr.length).toBeLessThan(4000);
    expect(run.stdout + run.stderr).not.toMatch(unprintable);
  });

  it('a line over max_line_bytes is located and skipped unread; the rows after it are kept', async () => {
    const p = makeProject({ 'data/rows.csv': `text,label\n${'x'.repeat(5000)},big\nsmall,ok\n"never closed,y\n${'z,w\n'.repeat(400)}`, 'r.yaml': recipe('      on_error: skip\n      max_line_bytes: 1000\n') });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.code, run.stderr).toBe(0);
    // The unclosed quote swallows lines until the record passes the bound; reading resumes after it.
    const texts = readStageJsonl(p, 'ingest', 'data.jsonl').map((e) => e.messages[0].content);
    expect(texts[0]).toBe('small');
    expect(new Set(texts.slice(1))).toEqual(new Set(['z']));
    const findings = readStageJson(p, 'ingest', 'report.json').findings;
    expect(findings.map((f: any) => [f.kind, f.line])).toEqual([
      ['line_too_long', 2],
      ['record_too_long', 4],
    ]);
    expect(findings[1].message).toContain(`lines 4–${405 - texts.length} skipped`); // the last line is 404
  });
});
