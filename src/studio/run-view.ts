/**
 * The Run page's data: the recipe's DAG with each stage's lock entry and last-run state, the training
 * job's events and its metric curves.
 */
import { join } from 'node:path';
import { stageOfType, type RecipeView } from './recipe-view.js';
import { stageOutputDir } from '../run/output-paths.js';
import { readJsonIfPresent, readLockStages, workspacePath } from './workspace-files.js';
import { readEvents, readMetricsCsv, type MetricColumns } from './metrics-csv.js';

interface LastRunStage {
  state: 'cached' | 'ran' | 'restored' | 'failed' | 'skipped' | 'interrupted';
  durationMs?: number;
  summary?: string;
  error?: string;
  /**
   * When the result this stage has now was made: the last run's end for a stage it ran, else (cached,
   * restored) the run-cache record of its lock key, written by the run that really ran it.
   */
  producedAt?: string;
}

interface LastRun {
  startedAt?: string;
  finishedAt?: string;
  stages?: Record<string, LastRunStage>;
}

export interface RunView {
  recipe: { name: string; title: string } | null;
  run: { startedAt?: string; finishedAt?: string } | null;
  stages: Array<{
    id: string;
    uses: string;
    needs: string[];
    locked: boolean;
    /** Value outputs from the lock (file ids, job ids, model names). */
    values: Record<string, unknown>;
    last: LastRunStage | null;
  }>;
  waitStage: string | null;
  /** The wait stage's metrics.csv, relative to the workspace. */
  metricsPath: string | null;
  fineTunedModel: string | null;
  events: unknown[];
  metrics: MetricColumns | null;
}

export async function readRunView(workspace: string, recipe: RecipeView | null): Promise<RunView> {
  if (!recipe) return { recipe: null, run: null, stages: [], waitStage: null, metricsPath: null, fineTunedModel: null, events: [], metrics: null };
  const lock = await readLockStages(workspace, recipe.name);
  const runs = await readJsonIfPresent<Record<string, LastRun>>(join(workspace, '.ftpipe', 'runs', 'last.json'));
  const last = runs?.[recipe.name] ?? null;
  const stages = await Promise.all(recipe.stages.map(async (stage) => {
    const entry = lock[stage.id];
    const values: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(entry?.outputs ?? {})) if (output && 'value' in output) values[name] = output.value;
    return { id: stage.id, uses: stage.uses, needs: stage.needs, locked: entry !== undefined, values, last: await withProducedAt(workspace, last, last?.stages?.[stage.id], entry?.key) };
  }));
  const wait = stageOfType(recipe, 'wait');
  const waitDir = wait ? stageOutputDir(workspace, recipe.name, wait.id) : null;
  return {
    recipe: { name: recipe.name, title: recipe.title },
    run: last ? { startedAt: last.startedAt, finishedAt: last.finishedAt } : null,
    stages,
    waitStage: wait?.id ?? null,
    metricsPath: waitDir ? workspacePath(workspace, join(waitDir, 'metrics.csv')) : null,
    fineTunedModel: wait ? fineTunedModel(lock[wait.id]?.outputs) : null,
    events: waitDir ? await readEvents(join(waitDir, 'events.jsonl')) : [],
    metrics: waitDir ? await readMetricsCsv(join(waitDir, 'metrics.csv')) : null,
  };
}

async function withProducedAt(workspace: string, run: LastRun | null, stage: LastRunStage | undefined, key: string | undefined): Promise<LastRunStage | null> {
  if (!stage) return null;
  if (stage.state === 'ran') return { ...stage, producedAt: run?.finishedAt };
  if ((stage.state === 'cached' || stage.state === 'restored') && key && /^[0-9a-f]{16,}$/.test(key)) {
    const record = await readJsonIfPresent<{ createdAt?: unknown }>(join(workspace, '.ftpipe', 'runs', 'cache', key.slice(0, 2), `${key}.json`));
    if (typeof record?.createdAt === 'string') return { ...stage, producedAt: record.createdAt };
  }
  return stage;
}

/** The wait stage's fine_tuned_model value output, if the job has finished. */
export function fineTunedModel(outputs: Record<string, { value?: unknown }> | undefined): string | null {
  const value = outputs?.fine_tuned_model?.value;
  return typeof value === 'string' && value !== '' ? value : null;
}
