/**
 * The studio's JSON API: one handler per route, each a thin layer over the view and dataset modules.
 * The recipe is re-read on every request so the pages follow edits and new runs without a restart.
 */
import { basename, dirname } from 'node:path';
import { encodingFor } from '../models/catalog.js';
import { FtpipeError } from '../errors.js';
import type { EncodingName } from '../data/tokens.js';
import { readRecipeView, stageOfType, type RecipeView } from './recipe-view.js';
import { listDataFiles, readLockStages, resolveInsideWorkspace, workspacePath } from './workspace-files.js';
import { stageOutputDir } from '../run/output-paths.js';
import { checkWritable, fileAccess } from './file-access.js';
import { pointRecipeAt } from './recipe-pointer.js';
import { JsonlIndex } from './jsonl-index.js';
import { OpenDataset, type DatasetQuery } from './open-dataset.js';
import { saveDataset } from './dataset-save.js';
import { findingsForFile, readValidationView } from './validation-view.js';
import { fineTunedModel, readRunView } from './run-view.js';
import { readEvalView } from './eval-view.js';
import { Playground } from './playground.js';
import { recipeModels, recipeSystemPrompt } from './recipe-params.js';
import { WordChunks } from './word-chunks.js';

export type Handler = (input: { query: URLSearchParams; body: unknown }) => Promise<unknown>;
export type StreamHandler = (input: { query: URLSearchParams; body: unknown; signal: AbortSignal }, send: (event: unknown) => void) => Promise<unknown>;

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
      const request = (body ?? {}) as SaveRequest;
      const dataset = this.dataset(request.id ?? null);
      checkWritable(this.workspace, dataset.index.file);
      await saveDataset(dataset.index.file, dataset.index.fingerprint, editsOf(dataset, request));
      const reopened = await this.open(dataset.index.file, dataset.id);
      return this.describe(reopened);
    },
    // A stage output's edits go to a new workspace file; the recipe can be pointed at it.
    'POST /api/data/save-as': async ({ body }) => {
      const request = (body ?? {}) as SaveRequest & { path?: unknown; pointRecipe?: unknown };
      const dataset = this.dataset(request.id ?? null);
      const target = resolveInsideWorkspace(this.workspace, String(request.path ?? ''));
      checkWritable(this.workspace, target);
      await saveDataset(dataset.index.file, dataset.index.fingerprint, editsOf(dataset, request), target);
      const source = request.pointRecipe === true ? this.producerOf(dataset.index.file) : null;
      const recipe = this.recipe();
      const pointed = source && recipe ? await pointRecipeAt(recipe.file, source, workspacePath(this.workspace, target)) : [];
      const opened = await this.open(target);
      return { ...this.describe(opened), pointed, recipe: recipe?.name ?? null, replaced: source && `\${{ stages.${source.stage}.outputs.${source.output} }}` };
    },
    'GET /api/validation': async () => readValidationView(this.workspace, this.recipe()),
    'GET /api/run': async () => readRunView(this.workspace, this.recipe()),
    'GET /api/eval': async () => readEvalView(this.workspace, this.recipe()),
    'GET /api/models': async () => {
      const recipe = this.recipe();
      const own = recipeModels(recipe, recipe ? await readLockStages(this.workspace, recipe.name) : {});
      const models = await this.playground.models();
      return { models, recipeModels: own, provider: recipe?.provider.kind ?? null, preselected: (await this.fineTunedModel()) ?? own[0]?.id ?? null, systemPrompt: recipeSystemPrompt(recipe) };
    },
    'POST /api/chat': async ({ body }) => {
      const response = await this.playground.chat(body);
      return { content: response.content, finishReason: response.finishReason, usage: response.usage ?? null };
    },
  };

  /** Routes that answer as they go (NDJSON, server.ts): each gets `send` for its events and returns the last one. */
  readonly streams: Record<string, StreamHandler> = {
    // The answer's text in pieces that end at whitespace: a key never contains any, so redacting each
    // piece (server.ts) redacts the whole; `done` carries the whole answer again.
    'POST /api/chat/stream': async ({ body, signal }, send) => {
      const words = new WordChunks((delta) => send({ delta }));
      const response = await this.playground.chat(body, { signal, onDelta: (text) => words.push(text) });
      return { done: { content: response.content, finishReason: response.finishReason, usage: response.usage ?? null } };
    },
  };

  private async open(file: string, id = String(this.nextId++)): Promise<OpenDataset> {
    fileAccess(this.workspace, file); // refuses dotfiles, the lock, recipes, the store: before reading a byte
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
    const access = fileAccess(this.workspace, dataset.index.file);
    const producer = access === 'view' ? this.producerOf(dataset.index.file) : null;
    return { id: dataset.id, path: dataset.path, lines: dataset.index.lineCount, fingerprint: dataset.index.fingerprint, encoding: dataset.encoding, findings: dataset.findings.size, access, producer };
  }

  /** The recipe stage and output a `.ftpipe/out` file is the latest copy of. */
  private producerOf(file: string): { stage: string; output: string } | null {
    const recipe = this.recipe();
    const stage = recipe?.stages.find((s) => dirname(file) === stageOutputDir(this.workspace, recipe.name, s.id));
    return stage ? { stage: stage.id, output: basename(file).replace(/\.[^.]+$/, '') } : null;
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

interface SaveRequest {
  id?: string;
  edits?: Array<{ line: number; example: unknown }>;
  append?: unknown[];
}

function editsOf(dataset: OpenDataset, request: SaveRequest) {
  const lines = new Map<number, unknown>();
  for (const edit of request.edits ?? []) {
    if (!Number.isInteger(edit?.line) || edit.line < 1 || edit.line > dataset.index.lineCount) throw new FtpipeError(`line ${edit?.line} is not in ${dataset.path}`, 'STUDIO_BAD_EDIT');
    lines.set(edit.line, edit.example ?? null);
  }
  return { lines, append: Array.isArray(request.append) ? request.append : [] };
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
