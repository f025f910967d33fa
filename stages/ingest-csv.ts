/**
 * CSV/TSV rows → chat examples through message templates ("Log line: {Content}" → "{Component}"),
 * with a row filter, limits, and per-file values taken from the file name (file_pattern).
 */
import { basename, extname } from 'node:path';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { inputPaths } from '../src/data/input-paths.js';
import { readCsvRows } from '../src/data/csv-rows.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { FindingLog, findingError, findingsReport, rowProblem, type OnError } from '../src/data/findings.js';
import { DEFAULT_MAX_LINE_BYTES } from '../src/data/line-reader.js';
import { quoteInput } from '../src/data/quoted-input.js';
import { compileTemplate, renderTemplate, type Template } from '../src/data/template.js';
import { compileWhere, type WhereParam } from '../src/data/row-filter.js';
import { parseJsonCell } from '../src/data/json-cell.js';
import type { ChatMessage } from '../src/data/chat-example.js';

interface IngestCsvParams {
  input: string | string[];
  delimiter?: string;
  sys_prompt?: string;
  system?: string;
  user: string;
  assistant: string;
  where?: WhereParam;
  limit?: number;
  limit_per_file?: number;
  max_per_label?: number;
  json_cells?: string[];
  file_pattern?: string;
  on_error?: OnError;
  relax_quotes?: boolean;
  max_line_bytes?: number;
}

export default defineStage<IngestCsvParams>({
  type: 'ingest-csv',
  version: 2,
  description: 'CSV/TSV rows to chat examples through {Column} templates',
  inputs: ['input'],
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'chat examples' },
    report: { kind: 'file', ext: '.json', description: 'rows read, filtered and written per file; bad rows with file:line' },
  },
  async run(ctx) {
    const p = ctx.params;
    const on_error = p.on_error ?? 'fail';
    if (typeof p.user !== 'string' || typeof p.assistant !== 'string') throw new FtpipeError('ingest-csv needs "user" and "assistant" templates', 'PARAM_INVALID', { hint: 'e.g. user: "Log line: {Content}", assistant: "{Component}"' });
    const templates: Record<string, Template> = { user: compileTemplate(p.user, 'user'), assistant: compileTemplate(p.assistant, 'assistant') };
    if (p.system !== undefined) templates.system = compileTemplate(p.system, 'system');
    const filePattern = p.file_pattern !== undefined ? new RegExp(p.file_pattern) : undefined;
    const jsonCells = new Set(p.json_cells ?? []);
    const log = new FindingLog();
    const perFile: Array<{ file: string; rows: number; filtered: number; written: number }> = [];
    const perLabel = new Map<string, number>();
    const writer = new JsonlWriter(ctx.output('data'));
    try {
      files: for (const file of inputPaths(p.input)) {
        const stats = { file, rows: 0, filtered: 0, written: 0 };
        perFile.push(stats);
        const delimiter = p.delimiter ?? (extname(file).toLowerCase() === '.tsv' ? '\t' : ',');
        const fileValues = fileValuesFor(file, filePattern);
        let header: string[] | undefined;
        let where: ((row: Record<string, unknown>) => boolean) | undefined;
        const rows = readCsvRows(file, { delimiter, relaxQuotes: p.relax_quotes ?? false, maxLineBytes: p.max_line_bytes ?? DEFAULT_MAX_LINE_BYTES, signal: ctx.signal });
        for await (const csvRow of rows) {
          const { line } = csvRow;
          if (!header) {
            // Without a header no row can be read: a broken one fails the file whatever on_error says.
            if ('problem' in csvRow) throw findingError({ kind: csvRow.problem.kind, severity: 'error', file, line, message: `header row: ${csvRow.problem.message}` }, 'the first row must name the columns; is this a CSV file?');
            header = csvRow.cells.map((c) => c.trim());
            checkColumns(file, header, Object.keys(fileValues), templates, p.where, jsonCells);
            where = p.where ? compileWhere(p.where) : undefined;
            continue;
          }
          stats.rows++;
          const problem = (kind: string, message: string) => rowProblem(log, { kind, severity: 'error', file, line, message }, on_error);
          if ('problem' in csvRow) {
            problem(csvRow.problem.kind, csvRow.problem.message);
            continue;
          }
          const { cells } = csvRow;
          if (cells.length !== header.length) {
            problem('bad_row', `row has ${cells.length} cells, the header has ${header.length}`);
            continue;
          }
          const row: Record<string, unknown> = { ...fileValues, _line: String(line) };
          let cellError: string | undefined;
          header.forEach((column, i) => {
            if (!jsonCells.has(column)) return void (row[column] = cells[i]);
            const parsed = parseJsonCell(cells[i]);
            if (parsed.error) cellError ??= `column ${quoteInput(column, 60)}: ${parsed.error}`;
            row[column] = parsed.value;
          });
          if (cellError) {
            problem('bad_json_cell', cellError);
            continue;
          }
          if (where && !where(row)) {
            stats.filtered++;
            continue;
          }
          let messages: ChatMessage[];
          try {
            messages = renderMessages(templates, row, p.sys_prompt);
          } catch (error) {
            problem('bad_template_value', (error as Error).message);
            continue;
          }
          const empty = messages.find((m) => m.content === '');
          if (empty) {
            problem('empty_message', `the ${empty.role} message is empty for this row`);
            continue;
          }
          const label = messages[messages.length - 1].content as string;
          if (p.max_per_label !== undefined) {
            const seen = perLabel.get(label) ?? 0;
            if (seen >= p.max_per_label) continue;
            perLabel.set(label, seen + 1);
          }
          await writer.write({ messages });
          stats.written++;
          if (p.limit !== undefined && writer.count >= p.limit) break files;
          if (p.limit_per_file !== undefined && stats.written >= p.limit_per_file) break;
        }
        if (!header) log.add({ kind: 'empty_file', severity: 'warning', file, line: 1, message: 'file has no header row' });
      }
    } finally {
      await writer.close();
    }
    await writeJson(ctx.output('report'), { examples: writer.count, files: perFile, ...findingsReport(log) });
    const rows = perFile.reduce((n, f) => n + f.rows, 0);
    return { summary: `${writer.count.toLocaleString('en-US')} examples from ${rows.toLocaleString('en-US')} rows in ${perFile.length} file(s)` };
  },
});

function renderMessages(templates: Record<string, Template>, row: Record<string, unknown>, sysPrompt: string | undefined): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = templates.system ? renderTemplate(templates.system, row) : sysPrompt;
  if (system) messages.push({ role: 'system', content: system });
  messages.push({ role: 'user', content: renderTemplate(templates.user, row) }, { role: 'assistant', content: renderTemplate(templates.assistant, row) });
  return messages;
}

/** Named groups of file_pattern matched on the file name, plus _file (the file name) and _stem. */
function fileValuesFor(file: string, pattern: RegExp | undefined): Record<string, string> {
  const name = basename(file);
  const values: Record<string, string> = { _file: name, _stem: name.slice(0, name.length - extname(name).length) };
  if (!pattern) return values;
  const match = pattern.exec(name);
  if (!match) throw new FtpipeError(`file_pattern ${pattern} does not match the file name "${name}"`, 'PARAM_INVALID', { location: { file }, hint: 'adjust file_pattern so every input file name matches it' });
  return { ...values, ...match.groups };
}

/** Columns listed in the hint of an unknown-column error (a 50 MB header must not become a 50 MB message). */
const LISTED_COLUMNS = 30;

function checkColumns(file: string, header: string[], fileKeys: string[], templates: Record<string, Template>, where: WhereParam | undefined, jsonCells: Set<string>): void {
  const known = new Set([...header, ...fileKeys, '_line']);
  const used = [...Object.entries(templates).flatMap(([param, t]) => t.columns.map((c) => [param, c])), ...Object.keys(where ?? {}).map((c) => ['where', c]), ...[...jsonCells].map((c) => ['json_cells', c])];
  const unknown = used.filter(([, column]) => !known.has(column));
  if (unknown.length === 0) return;
  const listed = header.slice(0, LISTED_COLUMNS).map((c) => quoteInput(c, 60)).join(', ') + (header.length > LISTED_COLUMNS ? ` … (${header.length} columns)` : '');
  throw new FtpipeError(`${unknown.map(([param, c]) => `${param} uses column ${quoteInput(c, 60)}`).join('; ')}, but ${basename(file)} has no such column`, 'PARAM_UNKNOWN_COLUMN', {
    location: { file, line: 1 },
    hint: `columns of ${basename(file)}: ${listed}${fileKeys.length ? `; from the file name: ${fileKeys.join(', ')}` : ''}; and _line`,
  });
}
