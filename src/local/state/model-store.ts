/**
 * Fine-tuned models (and their per-epoch checkpoints): one JSON file each in `models/`, named by the
 * URI-encoded model id. Parsed models are cached in memory; files are written atomically.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic.js';
import { LoadedModel, type TrainedModelFile } from '../trainer/trained-model.js';

export interface ModelSummary {
  id: string;
  base: string;
  created: number;
  jobId: string;
}

export class ModelStore {
  private readonly dir: string;
  private readonly summaries = new Map<string, ModelSummary>();
  private readonly loaded = new Map<string, LoadedModel>();

  constructor(dataDir: string) {
    this.dir = modelsDirOf(dataDir);
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const file = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as TrainedModelFile;
      this.summaries.set(file.id, summaryOf(file));
    }
  }

  async save(file: TrainedModelFile): Promise<void> {
    await writeFileAtomic(this.pathOf(file.id), JSON.stringify(file));
    this.register(summaryOf(file));
  }

  /** A model whose file the training thread wrote itself (at modelFilePath). */
  register(summary: ModelSummary): void {
    this.summaries.set(summary.id, summary);
    this.loaded.delete(summary.id);
  }

  has(id: string): boolean {
    return this.summaries.has(id);
  }

  summary(id: string): ModelSummary | undefined {
    return this.summaries.get(id);
  }

  list(): ModelSummary[] {
    return [...this.summaries.values()].sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  load(id: string): LoadedModel | undefined {
    if (!this.summaries.has(id)) return undefined;
    let model = this.loaded.get(id);
    if (!model) {
      model = new LoadedModel(JSON.parse(readFileSync(this.pathOf(id), 'utf8')) as TrainedModelFile);
      this.loaded.set(id, model);
    }
    return model;
  }

  async delete(id: string): Promise<boolean> {
    if (!this.summaries.delete(id)) return false;
    this.loaded.delete(id);
    await rm(this.pathOf(id), { force: true });
    return true;
  }

  /** Removes a model and its file, listed or not (a file the training thread wrote for a job that ended). */
  async discard(id: string): Promise<void> {
    this.summaries.delete(id);
    this.loaded.delete(id);
    await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    return modelFilePath(this.dir, id);
  }
}

export function modelFilePath(modelsDir: string, id: string): string {
  return join(modelsDir, `${encodeURIComponent(id)}.json`);
}

export function modelsDirOf(dataDir: string): string {
  return join(dataDir, 'models');
}

export function summaryOf(file: TrainedModelFile): ModelSummary {
  return { id: file.id, base: file.base, created: file.created, jobId: file.jobId };
}
