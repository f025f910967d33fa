/** The `ftpipe datasets` verbs: list datasets, show records, export a filtered copy. */
import { resolve } from 'node:path';
import { JsonlWriter } from '../data/jsonl-writer.js';
import { FtpipeError, ExitCode } from '../errors.js';
import { checkDatasetName, defaultDatasetsDir } from './dataset-name.js';
import type { DatasetLineProblem, DatasetRecord } from './dataset-store.js';
import { JsonlDatasetStore } from './jsonl-dataset-store.js';
import { metadataFilter, whereFromFlags } from './metadata-filter.js';

export interface DatasetsCommandOptions {
  dir?: string;
  /** Where output goes (process.stdout.write in the CLI). */
  write: (text: string) => void;
  /** Where warnings go (skipped lines). */
  warn: (text: string) => void;
}

function storeFor(options: DatasetsCommandOptions): JsonlDatasetStore {
  return new JsonlDatasetStore(options.dir ? resolve(options.dir) : defaultDatasetsDir());
}

const reportSkipped = (options: DatasetsCommandOptions) => (p: DatasetLineProblem) => options.warn(`skipped ${p.file}:${p.line}: ${p.message}\n`);

export async function listDatasets(options: DatasetsCommandOptions & { json?: boolean }): Promise<void> {
  const store = storeFor(options);
  const datasets = await store.list();
  if (options.json) return options.write(JSON.stringify(datasets, null, 2) + '\n');
  if (datasets.length === 0) return options.write(`no datasets in ${store.dir}\n`);
  const width = Math.max(4, ...datasets.map((d) => d.name.length));
  options.write(`${'NAME'.padEnd(width)}  ${'RECORDS'.padStart(8)}  ${'SIZE'.padStart(9)}  MODIFIED\n`);
  for (const d of datasets) {
    options.write(`${d.name.padEnd(width)}  ${String(d.records).padStart(8)}  ${formatBytes(d.bytes).padStart(9)}  ${d.modifiedAt.toISOString()}\n`);
  }
}

export async function showDataset(name: string, options: DatasetsCommandOptions & { limit?: number; where?: string[]; json?: boolean }): Promise<void> {
  const filter = metadataFilter(whereFromFlags(options.where ?? []));
  let shown = 0;
  for await (const record of storeFor(options).read(checkDatasetName(name), { filter, onProblem: reportSkipped(options) })) {
    options.write(options.json ? JSON.stringify(record) + '\n' : describeRecord(record, shown + 1));
    if (++shown === options.limit) break;
  }
  if (shown === 0 && !options.json) options.write('no records\n');
}

export async function exportDataset(name: string, options: DatasetsCommandOptions & { to: string; where?: string[]; limit?: number; keepMetadata?: boolean }): Promise<number> {
  if (!options.to) throw new FtpipeError('export needs --to <file.jsonl>', 'USAGE', { exitCode: ExitCode.usage });
  const filter = metadataFilter(whereFromFlags(options.where ?? []));
  const records = storeFor(options).read(checkDatasetName(name), { filter, onProblem: reportSkipped(options) });
  const out = new JsonlWriter(resolve(options.to));
  let count = 0;
  try {
    for await (const { metadata, ...example } of records) {
      await out.write(options.keepMetadata ? { ...example, metadata } : example);
      if (++count === options.limit) break;
    }
  } finally {
    await out.close();
  }
  options.write(`exported ${count} record(s) to ${options.to}\n`);
  return count;
}

/** A few readable lines per record: its tags, then each message shortened to one line. */
function describeRecord(record: DatasetRecord, index: number): string {
  const tags = Object.entries(record.metadata).map(([k, v]) => `${k}=${v}`).join(' ');
  const lines = [`#${index}  ${tags}`];
  for (const message of record.messages) {
    const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? message.tool_calls ?? null);
    lines.push(`  ${String(message.role).padEnd(9)} ${oneLine(content, 160)}`);
  }
  return lines.join('\n') + '\n\n';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
