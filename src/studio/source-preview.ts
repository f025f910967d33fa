/**
 * A recipe input that is not chat JSONL (ShareGPT JSON, CSV/TSV) shown read-only on the Data page: it
 * is converted, streaming, into a temp JSONL of one display record per line (a ShareGPT record as the
 * recipe's conversations stage would turn it into messages; a CSV row as { column: cell }), which the
 * studio then pages like any dataset. The source line of each record is kept for display and deep links.
 */
import { createWriteStream } from 'node:fs';
import { extname, join } from 'node:path';
import { once } from 'node:events';
import { readRecords } from '../data/records.js';
import { readCsvRows } from '../data/csv-rows.js';
import { DEFAULT_MAX_LINE_BYTES } from '../data/line-reader.js';
import { convertConversation, type TaskType } from '../data/sharegpt.js';
import { recipeInputFiles, type RecipeView } from './recipe-view.js';
import { stageParam } from './recipe-params.js';

export interface SourcePreview {
  /** The temp JSONL the studio pages. */
  jsonl: string;
  kind: 'sharegpt' | 'csv';
  /** Source line where record i (0-based) starts. */
  sourceLines: number[];
  /** The recipe stages that read this file (where its data is turned into training examples). */
  readBy: Array<{ stage: string; uses: string }>;
}

export function isSourceFile(file: string): boolean {
  return /\.(json|csv|tsv)$/i.test(file);
}

export async function buildSourcePreview(options: { file: string; recipe: RecipeView | null; workspace: string; tempDir: string; id: string }): Promise<SourcePreview> {
  const { file, recipe, workspace } = options;
  const readBy = recipe ? recipe.stages.filter((s) => recipeInputFiles({ ...recipe, stages: [s] }, workspace).includes(file)).map((s) => ({ stage: s.id, uses: s.uses })) : [];
  const jsonl = join(options.tempDir, `${options.id}.jsonl`);
  const out = createWriteStream(jsonl);
  const sourceLines: number[] = [];
  const write = async (line: number, value: unknown) => {
    sourceLines.push(line);
    if (!out.write(JSON.stringify(value) + '\n')) await once(out, 'drain');
  };
  const kind = /\.json$/i.test(file) ? 'sharegpt' : 'csv';
  try {
    if (kind === 'sharegpt') {
      const converter = recipe?.stages.find((s) => s.uses === 'conversations' && readBy.some((r) => r.stage === s.id));
      const sysPrompt = converter && recipe ? stageParam(recipe, converter, 'sys_prompt') : undefined;
      const taskType = ((converter && recipe && stageParam(recipe, converter, 'task_type')) ?? 'answering') as TaskType;
      // Records that do not parse are left out here: the stage reports them with their line when it runs.
      for await (const record of readRecords([file], { onProblem: () => {} })) {
        const converted = convertConversation(record.value, { sysPrompt, taskType });
        await write(record.line, 'example' in converted ? converted.example : record.value);
      }
    } else {
      let header: string[] | null = null;
      const delimiter = extname(file).toLowerCase() === '.tsv' ? '\t' : ',';
      for await (const row of readCsvRows(file, { delimiter, relaxQuotes: false, maxLineBytes: DEFAULT_MAX_LINE_BYTES })) {
        if (!('cells' in row)) {
          await write(row.line, { problem: row.problem.message });
          continue;
        }
        if (!header) {
          header = row.cells;
          continue;
        }
        await write(row.line, Object.fromEntries(header.map((name, i) => [name, row.cells[i] ?? ''])));
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { jsonl, kind, sourceLines, readBy };
}

/** The record (1-based) holding source line `line`: the last one starting at or before it. */
export function recordAtSourceLine(preview: SourcePreview, line: number): number {
  let lo = 0;
  let hi = preview.sourceLines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (preview.sourceLines[mid] <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
