/**
 * Reads JSON records from JSONL files, or from pretty-printed JSON arrays (detected by a leading "["),
 * streaming either way. Unreadable input (bad UTF-8, bad JSON, empty files, a BOM) becomes a finding
 * with file and line; the records that parse are yielded with theirs.
 */
import { DEFAULT_MAX_LINE_BYTES, readLines } from './line-reader.js';
import { JsonArrayScanner } from './json-array-scanner.js';
import type { Finding } from './findings.js';

export interface DataRecord {
  file: string;
  /** 1-based line where the record starts. */
  line: number;
  /** 0-based position of the record in its file. */
  index: number;
  value: unknown;
  /** The JSON text value was parsed from (a JSONL line, or a JSON array element that may span lines). */
  text: string;
  /** A JSONL line's bytes (text before decoding), to write it unchanged without re-encoding. */
  raw?: Buffer;
  /** Bytes read for this record (approximate for JSON arrays). */
  bytes: number;
}

/** A record's JSON text before parsing (validate parses in worker threads). */
export interface RecordText {
  file: string;
  line: number;
  index: number;
  text: string;
  raw?: Buffer;
  bytes: number;
}

export interface ReadOptions {
  /** Called for every problem in the input; a thrown error stops reading (on_error: fail). */
  onProblem(problem: Finding): void;
  signal?: AbortSignal;
  /** Longest line (or JSON array element) read, in bytes; a longer one is skipped unread and reported. */
  maxLineBytes?: number;
}

export async function* readRecords(files: string[], options: ReadOptions): AsyncGenerator<DataRecord> {
  for await (const record of readRecordTexts(files, options)) {
    let value: unknown;
    try {
      value = JSON.parse(record.text);
    } catch (error) {
      options.onProblem(invalidJson(record, error));
      continue;
    }
    yield { file: record.file, line: record.line, index: record.index, value, text: record.text, raw: record.raw, bytes: record.bytes };
  }
}

export function invalidJson(record: { file: string; line: number }, error: unknown): Finding {
  return { kind: 'invalid_json', severity: 'error', file: record.file, line: record.line, message: `not valid JSON (${(error as Error).message})` };
}

export async function* readRecordTexts(files: string[], options: ReadOptions): AsyncGenerator<RecordText> {
  for (const file of files) yield* readFileRecords(file, options);
}

async function* readFileRecords(file: string, { onProblem, signal, maxLineBytes = DEFAULT_MAX_LINE_BYTES }: ReadOptions): AsyncGenerator<RecordText> {
  let mode: 'unknown' | 'jsonl' | 'array' = 'unknown';
  const scanner = new JsonArrayScanner(maxLineBytes);
  let index = 0;
  let lastLine = 0;
  const problem = (kind: string, line: number, message: string, severity: Finding['severity'] = 'error') =>
    onProblem({ kind, severity, file, line, message });

  for await (const { line, text, bytes, bom, tooLong, raw } of readLines(file, signal, { maxLineBytes })) {
    lastLine = line;
    if (bom) problem('bom', line, 'file starts with a UTF-8 byte order mark (ignored); save it as UTF-8 without BOM', 'warning');
    if (tooLong) {
      // In a JSON array the skipped bytes held brackets and quotes: what follows cannot be split reliably.
      const rest = mode === 'array' ? '; the rest of this JSON array is not read' : '';
      problem('line_too_long', line, `line is ${bytes.toLocaleString('en-US')} bytes, over max_line_bytes (${maxLineBytes.toLocaleString('en-US')}): skipped unread${rest}`);
      if (mode === 'array') return;
      if (mode === 'unknown') mode = 'jsonl';
      continue;
    }
    if (text === null) {
      problem('invalid_utf8', line, 'line is not valid UTF-8');
      if (mode === 'unknown') mode = 'jsonl';
      continue;
    }
    if (mode === 'unknown') {
      const start = text.trimStart();
      if (start === '') continue;
      mode = start.startsWith('[') ? 'array' : 'jsonl';
    }
    if (mode === 'jsonl') {
      if (text.trim() === '') continue;
      yield { file, line, index: index++, text, raw, bytes };
      continue;
    }
    for (const element of scanner.feed(text, line)) {
      if (element.text === null) {
        problem('line_too_long', element.line, `array element is over max_line_bytes (${maxLineBytes.toLocaleString('en-US')}): skipped unread`);
        index++;
      } else yield { file, line: element.line, index: index++, text: element.text, bytes: element.text.length };
    }
  }
  if (mode === 'unknown') problem('empty_file', 1, lastLine === 0 ? 'file is empty' : 'file holds only blank lines');
  if (mode === 'array' && !scanner.closed) problem('invalid_json', lastLine, 'JSON array is not closed with "]" (truncated file?)');
  if (scanner.trailingLine !== null) problem('invalid_json', scanner.trailingLine, 'text after the end of the JSON array');
}
