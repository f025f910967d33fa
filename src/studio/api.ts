/**
 * The studio's JSON API: one handler per route, each a thin layer over the view and dataset modules.
 * The recipe is re-read on every request so the pages follow edits and new runs without a restart.
 */
import { encodingFor } from '../models/catalog.js';
import { FtpipeError } from '../errors.js';
import type { EncodingName } from '../data/tokens.js';
import { readRecipeView, stageOfType, type RecipeView } from './recipe-view.js';
import { listDataFiles, readLockStages, resolveInsideWorkspace, workspacePath } from './workspace-files.js';
import { JsonlIndex } from './jsonl-index.js';
import { OpenDataset, type DatasetQuery } from './open-dataset.js';
import { saveDataset } from './dataset-save.js';
import { findingsForFile, readValidationView } from './validation-view.js';
import { fineTunedModel, readRunView } from './run-view.js';
import { readEvalView } from './eval-view.js';
import { Playground } from './playground.js';

export type Handler = (input: { query: URLSearchParams; body: unknown }) => Promise<unknown>;

export class StudioApi {
  private readonly datasets = new Map<string, OpenDataset>();
  private nextId = 1;

  constructor(
    readonly workspace: string,
    private readonly recipeFile: string | null,
    readonly playground: Playground,
  ) {}

  recipe(): RecipeView | null {
    return this.recipeFile ? readRecipeView(this.recipeFile, this.workspace) : null;
  }

  readonly routes: Record<string, Handler> = {
    'GET /api/info': async () => {
      const recipe = this.recipe();
      return { workspace: this.workspace, recipe: recipe && { name: recipe.name, title: recipe.title, provider: recipe.provider.kind }, files: listDataFiles(this.workspace, recipe) };
    },
    'POST /api/data/open': async ({ body }) => {
      const path = (body as { path?: unknown } | null)?.path;
      const dataset = await this.open(resolveInsideWorkspace(this.workspace, String(path ?? '')));
      return this.describe(dataset);
    },
    'GET /api/data/page': async ({ query }) => this.dataset(query.get('id')).page(pageQuery(query)),
    'GET /api/data/facets': async ({ query }) => this.dataset(query.get('id')).facets(),
    'POST /api/data/save': async ({ body }) => {
      const request = (body ?? {}) as { id?: string; edits?: Array<{ line: number; example: unknown }>; append?: unknown[] };
      const dataset = this.dataset(request.id ?? null);
      const lines = new Map<number, unknown>();
      for (const edit of request.edits ?? []) {
        if (!Number.isInteger(edit?.line) || edit.line < 1 || edit.line > dataset.index.lineCount) throw new FtpipeError(`line ${edit?.line} is not in ${dataset.path}`, 'STUDIO_BAD_EDIT');
        lines.set(edit.line, edit.example ?? null);
      }
      await saveDataset(dataset.index.file, dataset.index.fingerprint, { lines, append: Array.isArray(request.append) ? request.append : [] });
      const reopened = await this.open(dataset.index.file, dataset.id);
      return this.describe(reopened);
    },
    'GET /api/validation': async () => readValidationView(this.workspace, this.recipe()),
    'GET /api/run': async () => readRunView(this.workspace, this.recipe()),
    'GET /api/eval': async () => readEvalView(this.workspace, this.recipe()),
    'GET /api/models': async () => {
      const models = await this.playground.models();
      return { models, preselected: await this.fineTunedModel() };
    },
    'POST /api/chat': async ({ body }) => {
      const response = await this.playground.chat(body);
      return { content: response.content, finishReason: response.finishReason, usage: response.usage ?? null };
    },
  };

  private async open(file: string, id = String(this.nextId++)): Promise<OpenDataset> {
    const index = await JsonlIndex.build(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') throw new FtpipeError(`no such file: ${workspacePath(this.workspace, file)}`, 'STUDIO_NOT_FOUND', { hint: 'pick one of the listed files or type a path relative to the workspace' });
      throw error;
    });
    const recipe = this.recipe();
    const findings = await findingsForFile({ workspace: this.workspace, recipe, file, sha256: index.fingerprint.sha256 });
    const dataset = new OpenDataset(id, workspacePath(this.workspace, file), index, this.encoding(recipe), findings);
    this.datasets.set(id, dataset);
    return dataset;
  }

  private describe(dataset: OpenDataset) {
    return { id: dataset.id, path: dataset.path, lines: dataset.index.lineCount, fingerprint: dataset.index.fingerprint, encoding: dataset.encoding, findings: dataset.findings.size };
  }

  private dataset(id: string | null): OpenDataset {
    const dataset = id ? this.datasets.get(id) : undefined;
    if (!dataset) throw new FtpipeError('this file is not open (the studio was restarted?)', 'STUDIO_NOT_FOUND', { hint: 'open the file again' });
    return dataset;
  }

  /** Token counts use the tokenizer of the model the validate stage checks for. */
  private encoding(recipe: RecipeView | null): EncodingName {
    const model = stageOfType(recipe, 'validate')?.with.model;
    return typeof model === 'string' && !model.includes('${{') ? encodingFor(model) : 'o200k_base';
  }

  private async fineTunedModel(): Promise<string | null> {
    const recipe = this.recipe();
    const wait = stageOfType(recipe, 'wait');
    if (!recipe || !wait) return null;
    return fineTunedModel((await readLockStages(this.workspace, recipe.name))[wait.id]?.outputs);
  }
}

function pageQuery(query: URLSearchParams): DatasetQuery {
  const int = (name: string) => {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new FtpipeError(`${name} must be a whole number ≥ 0`, 'STUDIO_BAD_REQUEST');
    return n;
  };
  return {
    offset: int('offset') ?? 0,
    limit: Math.min(int('limit') ?? 20, 500),
    q: query.get('q') || undefined,
    finding: query.get('finding') || undefined,
    label: query.has('label') ? (query.get('label') ?? '') : undefined,
    minTokens: int('minTokens'),
    maxTokens: int('maxTokens'),
  };
}
