/**
 * Splits a CSV/TSV file into the text of each record (a quoted cell may span lines), so that a broken
 * record can be reported at its file:line and skipped without losing the records after it: csv-parse
 * stops at the first error, and its skip_records_with_error drops the rest of the chunk it was given.
 * Only record boundaries are decided here, by the quoting rule csv-parse applies (a quote opens a
 * quoted cell only at the start of a cell; inside one, "" is a quote); csv-parse then parses each record.
 * Lines come from the shared line reader: checked as UTF-8, bounded by maxLineBytes.
 */
import { readLines } from './line-reader.js';

export interface CsvRecordText {
  /** 1-based line where the record starts. */
  line: number;
  /** The record without its final line ending ("\n" or "\r\n" inside quoted cells kept). */
  text: string;
  /** Why the record cannot be used (its text is then only for locating). */
  problem?: { kind: string; message: string; line: number };
}

export interface CsvRecordOptions {
  delimiter: string;
  maxLineBytes: number;
  signal?: AbortSignal;
}

const QUOTE = 0x22;

export async function* readCsvRecords(file: string, options: CsvRecordOptions): AsyncGenerator<CsvRecordText> {
  const { delimiter, maxLineBytes } = options;
  let parts: string[] = [];
  let start = 0;
  let size = 0;
  let inQuotes = false;
  let lastCr = false;
  let problem: CsvRecordText['problem'];
  const take = (): CsvRecordText => {
    const record = { line: start, text: parts.join(''), problem };
    parts = [];
    size = 0;
    inQuotes = false;
    problem = undefined;
    return record;
  };
  for await (const line of readLines(file, options.signal, { maxLineBytes, lossy: true })) {
    if (line.tooLong) {
      if (parts.length > 0) {
        problem ??= { kind: 'line_too_long', line: line.line, message: `line ${line.line} of this record is over max_line_bytes (${maxLineBytes.toLocaleString('en-US')} bytes)` };
        yield take();
      } else yield { line: line.line, text: '', problem: { kind: 'line_too_long', line: line.line, message: `line is ${line.bytes.toLocaleString('en-US')} bytes, over max_line_bytes (${maxLineBytes.toLocaleString('en-US')}): skipped unread` } };
      continue;
    }
    const text = line.text!;
    if (parts.length === 0) {
      if (text === '') continue; // a blank line between records
      start = line.line;
    } else parts.push(lastCr ? '\r\n' : '\n');
    parts.push(text);
    size += line.bytes;
    lastCr = line.cr === true;
    if (line.invalidUtf8) problem ??= { kind: 'invalid_utf8', line: line.line, message: line.line === start ? 'line is not valid UTF-8' : `line ${line.line} of this record is not valid UTF-8` };
    else if (text.includes('\u0000')) problem ??= { kind: 'nul_byte', line: line.line, message: 'line holds a NUL byte (binary data, not text)' };
    inQuotes = quotedAtEnd(text, inQuotes, delimiter);
    if (!inQuotes) yield take();
    else if (size > maxLineBytes) {
      problem ??= { kind: 'record_too_long', line: start, message: `the quoted cell opened on this line runs past max_line_bytes (${maxLineBytes.toLocaleString('en-US')} bytes; a quote never closed?): lines ${start}–${line.line} skipped` };
      yield take();
    }
  }
  if (parts.length > 0) yield take(); // an unclosed quote: csv-parse reports it
}

/** Whether a quoted cell is still open at the end of this line, given whether one was open at its start. */
function quotedAtEnd(text: string, inQuotes: boolean, delimiter: string): boolean {
  // 0: at the start of a cell, 1: in an unquoted cell, 2: in a quoted cell, 3: just after a quote in a quoted cell.
  let state = inQuotes ? 2 : 0;
  const d = delimiter.charCodeAt(0);
  const single = delimiter.length === 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (state === 2) {
      if (c === QUOTE) state = 3;
      continue;
    }
    if (c === d && (single || text.startsWith(delimiter, i))) {
      state = 0;
      i += delimiter.length - 1;
    } else if (c === QUOTE && state !== 1) state = 2; // opens a cell, or "" inside one
    else state = 1;
  }
  return state === 2;
}
