/**
 * CSV/TSV rows, parsed by csv-parse one batch of records at a time (see csv-records.ts for how records
 * are found). A batch that fails is parsed record by record, so each broken record becomes a problem at
 * its file:line, with a message that says what is wrong without echoing the cell.
 */
import { parse } from 'csv-parse/sync';
import { readCsvRecords, type CsvRecordText } from './csv-records.js';
import { printable } from './quoted-input.js';

export type CsvRow = { line: number; cells: string[] } | { line: number; problem: { kind: string; message: string } };

export interface CsvRowOptions {
  delimiter: string;
  /** Keep a quote inside an unquoted cell as a character (5" screen), as Python's csv module does. */
  relaxQuotes: boolean;
  maxLineBytes: number;
  signal?: AbortSignal;
}

const BATCH_RECORDS = 1000;

export async function* readCsvRows(file: string, options: CsvRowOptions): AsyncGenerator<CsvRow> {
  const parseOptions = { delimiter: options.delimiter, relax_quotes: options.relaxQuotes, relax_column_count: true, record_delimiter: '\n', bom: false };
  let batch: CsvRecordText[] = [];
  const flush = function* (): Generator<CsvRow> {
    const good = batch.filter((r) => !r.problem);
    let parsed: string[][] | undefined;
    try {
      parsed = parse(good.map((r) => r.text).join('\n'), parseOptions) as string[][];
    } catch {
      parsed = undefined;
    }
    // Parsed as a whole only when csv-parse saw exactly our records; else one by one to locate the bad ones.
    const whole = parsed && parsed.length === good.length;
    let at = 0;
    for (const record of batch) {
      if (record.problem) yield { line: record.problem.line, problem: record.problem };
      else if (whole) yield { line: record.line, cells: parsed![at++] };
      else yield parseOne(record, parseOptions);
    }
    batch = [];
  };
  for await (const record of readCsvRecords(file, options)) {
    batch.push(record);
    if (batch.length >= BATCH_RECORDS) yield* flush();
  }
  yield* flush();
}

function parseOne(record: CsvRecordText, parseOptions: object): CsvRow {
  try {
    const rows = parse(record.text, parseOptions) as string[][];
    if (rows.length === 1) return { line: record.line, cells: rows[0] };
    return { line: record.line, problem: { kind: 'bad_row', message: `could not be read as one CSV record (csv-parse found ${rows.length})` } };
  } catch (error) {
    return { line: record.line, problem: csvProblem(error as CsvParseError, record) };
  }
}

interface CsvParseError extends Error {
  code?: string;
  column?: number;
  lines?: number;
}

/** csv-parse's errors quote the cell; these messages name the column and the fix instead. */
function csvProblem(error: CsvParseError, record: CsvRecordText): { kind: string; message: string } {
  const column = typeof error.column === 'number' ? ` in cell ${error.column + 1}` : '';
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return { kind: 'bad_quote', message: `a quote inside an unquoted cell${column} (like 5" screen): quote the whole cell and double the quote ("5"" screen"), or set relax_quotes: true to keep it as a character` };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return { kind: 'bad_quote', message: `text after the closing quote of a quoted cell${column}: double a quote meant inside the cell (""), or set relax_quotes: true` };
    case 'CSV_QUOTE_NOT_CLOSED': {
      const lines = record.text.split('\n').length;
      return { kind: 'bad_quote', message: `a quote opened${column} is never closed${lines > 1 ? ` (lines ${record.line}–${record.line + lines - 1} skipped)` : ''}` };
    }
    default:
      return { kind: 'bad_row', message: printable(error.message, 200) };
  }
}
