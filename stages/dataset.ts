/**
 * Reads a recorded dataset (see recordingClient) into a recipe: records filtered by their metadata
 * tags, written as chat examples for clean → validate → split. The tags are dropped unless
 * keep_metadata is set, since fine-tuning files must not carry them.
 *
 * Caching: the dataset file (`file:`, or <dir>/<name>.jsonl for `name:`) is part of the stage key, so
 * newly recorded calls rerun this stage and what depends on it.
 */
import { basename, resolve } from 'node:path';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError, ExitCode } from '../src/errors.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { datasetFile, defaultDatasetsDir } from '../src/record/dataset-name.js';
import { readDatasetFile } from '../src/record/jsonl-dataset-store.js';
import { metadataFilter, whereFromParams } from '../src/record/metadata-filter.js';
import type { DatasetLineProblem } from '../src/record/dataset-store.js';

interface DatasetParams {
  name?: string;
  file?: string;
  dir?: string;
  where?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  limit?: number;
  keep_metadata?: boolean;
}

const STORED_PROBLEMS = 100;

export default defineStage<DatasetParams>({
  type: 'dataset',
  version: 1,
  description: 'Read a recorded dataset (live model calls) as chat examples, filtered by metadata tags',
  inputs: ['file'],
  implicitInputs: (params, workspace) => (params.file === undefined && typeof params.name === 'string' ? [datasetFile(params.dir ? resolve(workspace, String(params.dir)) : defaultDatasetsDir(workspace), params.name)] : []),
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'the selected records as chat examples' },
    report: { kind: 'file', ext: '.json', description: 'records read, selected and skipped, with skipped lines' },
  },
  async run(ctx) {
    const { name, limit, keep_metadata = false } = ctx.params;
    if (name === undefined && ctx.params.file === undefined) {
      throw new FtpipeError('the dataset stage needs `name` or `file`', 'PARAM_INVALID', { stage: ctx.id, hint: 'e.g. name: support-triage (reads .ftpipe/datasets/support-triage.jsonl)', exitCode: ExitCode.usage });
    }
    const dir = ctx.params.dir ? resolve(ctx.workspace, ctx.params.dir) : defaultDatasetsDir(ctx.workspace);
    const file = ctx.params.file ?? datasetFile(dir, name!);
    const where = whereFromParams(ctx.params.where);
    const matches = metadataFilter(where);

    const problems: DatasetLineProblem[] = [];
    let skippedLines = 0;
    let read = 0;
    let selected = 0;
    const out = new JsonlWriter(ctx.output('data'));
    try {
      const records = readDatasetFile(file, {
        signal: ctx.signal,
        onProblem: (problem) => {
          skippedLines++;
          if (problems.length < STORED_PROBLEMS) problems.push(problem);
          ctx.log.warn(`${problem.file}:${problem.line}: ${problem.message} (skipped)`);
        },
      }, name);
      for await (const record of records) {
        read++;
        if (matches && !matches(record)) continue;
        const { metadata, ...example } = record;
        await out.write(keep_metadata ? { ...example, metadata } : example);
        if (++selected === limit) break;
        if (selected % 10_000 === 0) ctx.progress.update({ done: selected });
      }
    } finally {
      await out.close();
    }
    await writeJson(ctx.output('report'), {
      dataset: name ?? basename(file, '.jsonl'),
      file,
      where,
      limit: limit ?? null,
      records_read: read,
      records_selected: selected,
      filtered_out: read - selected,
      skipped_lines: skippedLines,
      problems,
    });
    const skipped = skippedLines ? `, ${skippedLines} unreadable line(s) skipped` : '';
    return { summary: `${selected} of ${read} record(s) selected${skipped}` };
  },
});
