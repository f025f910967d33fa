/** DatasetStore on a directory of `<name>.jsonl` files, one record per line, appended atomically. */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readLines } from '../data/line-reader.js';
import { FtpipeError } from '../errors.js';
import { checkDatasetName, datasetFile } from './dataset-name.js';
import type { DatasetInfo, DatasetReadOptions, DatasetRecord, DatasetStore } from './dataset-store.js';
import { appendLine } from './line-append.js';

export class JsonlDatasetStore implements DatasetStore {
  private made: Promise<unknown> | undefined;

  constructor(readonly dir: string) {}

  fileOf(name: string): string {
    return datasetFile(this.dir, name);
  }

  async append(name: string, record: DatasetRecord): Promise<void> {
    const file = this.fileOf(name);
    // Made once per store; reset on failure so a later append can retry.
    this.made ??= mkdir(this.dir, { recursive: true }).catch((error) => {
      this.made = undefined;
      throw error;
    });
    await this.made;
    await appendLine(file, JSON.stringify(record));
  }

  async list(): Promise<DatasetInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const datasets = names.filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length)).filter(isValidName).sort();
    return Promise.all(datasets.map(async (name) => {
      const location = this.fileOf(name);
      const info = await stat(location);
      return { name, location, bytes: info.size, records: await countLines(location), modifiedAt: info.mtime };
    }));
  }

  read(name: string, options: DatasetReadOptions = {}): AsyncIterable<DatasetRecord> {
    return readDatasetFile(this.fileOf(name), options, name);
  }
}

/**
 * Reads records from a dataset file, streaming. Unreadable lines are reported and skipped; the last
 * line is reported as incomplete when it does not parse (a writer still writing, or one that crashed).
 * A crashed writer's fragment glued to the next record (see line-append.ts) is split off and reported.
 */
export async function* readDatasetFile(file: string, options: DatasetReadOptions = {}, name?: string): AsyncGenerator<DatasetRecord> {
  const { filter, onProblem, signal } = options;
  let lines: AsyncGenerator<{ line: number; text: string | null }>;
  try {
    await stat(file);
    lines = readLines(file, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new FtpipeError(`dataset ${name ? `"${name}" ` : ''}not found: ${file}`, 'DATASET_NOT_FOUND', { hint: 'record into it first (recordingClient(...) with { dataset }) or check the name and --dir; `ftpipe datasets ls` lists what exists' });
  }
  // One line of look-ahead tells whether a bad line is the last one.
  let held: { line: number; text: string | null } | undefined;
  const take = (entry: { line: number; text: string | null }, isLast: boolean): DatasetRecord | undefined => {
    if (entry.text === null) return void onProblem?.({ file, line: entry.line, message: 'not valid UTF-8' });
    if (entry.text.trim() === '') return undefined;
    let record = parseRecord(entry.text);
    if (typeof record === 'string') {
      const recovered = recordAfterFragment(entry.text);
      if (recovered) {
        onProblem?.({ file, line: entry.line, message: 'a torn record (a writer stopped mid-line) was skipped; the complete record after it on this line was kept' });
        record = recovered;
      }
    }
    if (typeof record === 'string') {
      onProblem?.({ file, line: entry.line, message: isLast ? `incomplete last line (a writer crashed or is still writing): ${record}` : record });
      return undefined;
    }
    return filter && !filter(record) ? undefined : record;
  };
  for await (const entry of lines) {
    if (held) {
      const record = take(held, false);
      if (record) yield record;
    }
    held = entry;
  }
  if (held) {
    const record = take(held, true);
    if (record) yield record;
  }
}

/** The record, or why the line is not one. */
function parseRecord(text: string): DatasetRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (!value || typeof value !== 'object' || !Array.isArray((value as DatasetRecord).messages)) return 'not a record: expected an object with a "messages" array';
  const record = value as DatasetRecord;
  if (!record.metadata || typeof record.metadata !== 'object') record.metadata = {};
  return record;
}

// How every record written by JsonlDatasetStore starts. Inside JSON strings a quote is always
// escaped, so this text can only start an object, never sit inside message content.
const RECORD_START = '{"messages":';

/** A torn fragment followed, on the same line, by a whole record: the record. */
function recordAfterFragment(text: string): DatasetRecord | undefined {
  for (let at = text.indexOf(RECORD_START, 1); at !== -1; at = text.indexOf(RECORD_START, at + 1)) {
    const record = parseRecord(text.slice(at));
    if (typeof record !== 'string') return record;
  }
  return undefined;
}

function isValidName(name: string): boolean {
  try {
    return checkDatasetName(name) === name;
  } catch {
    return false;
  }
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
  }
  return count;
}
