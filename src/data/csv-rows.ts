/**
 * Streams CSV/TSV rows with csv-parse, with the 1-based line where each record starts (quoted cells
 * may span lines). csv-parse counts a CRLF inside a quoted cell as two lines; that is corrected here.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { FtpipeError } from '../errors.js';

export interface CsvRow {
  line: number;
  cells: string[];
}

export async function* readCsvRows(file: string, delimiter: string, signal?: AbortSignal): AsyncGenerator<CsvRow> {
  const parser = createReadStream(file, { signal }).pipe(parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true }));
  let crlfInCells = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      let newlines = 0;
      for (const cell of record) {
        if (cell.length < 2) continue;
        for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) {
          newlines++;
          if (cell.charCodeAt(i - 1) === 13) crlfInCells++;
        }
      }
      const endLine = info.lines - crlfInCells;
      yield { line: endLine - newlines, cells: record };
    }
  } catch (error) {
    const e = error as { code?: string; lines?: number; message: string };
    if (!e.code?.startsWith('CSV_')) throw error;
    throw new FtpipeError(`${file}:${e.lines ?? '?'}: ${e.message}`, 'DATA_CSV_INVALID', { location: { file, line: e.lines }, hint: 'check the quoting near that line (a quote opened and never closed?)' });
  }
}
