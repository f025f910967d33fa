/**
 * The training job's files written by the wait stage: metrics.csv (step, train_loss, train_accuracy,
 * valid_loss, valid_mean_token_accuracy; values may be empty) and events.jsonl.
 */
import { createReadStream, existsSync } from 'node:fs';
import { parse } from 'csv-parse';
import { readLines } from '../data/line-reader.js';

/** Columns of numbers (null where the CSV cell is empty or not a number), one array per column. */
export type MetricColumns = Record<string, Array<number | null>>;

export async function readMetricsCsv(file: string): Promise<MetricColumns | null> {
  if (!existsSync(file)) return null;
  const columns: MetricColumns = {};
  const parser = createReadStream(file).pipe(parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    for (const [name, cell] of Object.entries(record)) {
      const value = cell === '' || cell === undefined ? null : Number(cell);
      (columns[name] ??= []).push(value === null || Number.isNaN(value) ? null : value);
    }
  }
  return columns;
}

/** The last `limit` events of events.jsonl (unparseable lines are skipped: the file may be mid-write). */
export async function readEvents(file: string, limit = 500): Promise<unknown[]> {
  if (!existsSync(file)) return [];
  const events: unknown[] = [];
  for await (const { text } of readLines(file)) {
    if (!text || text.trim() === '') continue;
    try {
      events.push(JSON.parse(text));
    } catch {
      continue;
    }
    if (events.length > limit) events.shift();
  }
  return events;
}
