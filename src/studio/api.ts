/**
 * The studio's JSON API: one handler per route, each a thin layer over the view and dataset modules.
 * The recipe is re-read on every request so the pages follow edits and new runs without a restart.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { encodingFor } from '../models/catalog.js';
import { FtpipeError } from '../errors.js';
import type { EncodingName } from '../data/tokens.js';
import { readRecipeView, recipeInputFiles, stageOfType, type RecipeView } from './recipe-view.js';
import { buildSourcePreview, recordAtSourceLine, type SourcePreview } from './source-preview.js';
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
import { RecipeRun } from './recipe-run.js';
import { recipeModels, recipeSystemPrompt } from './recipe-params.js';
import { WordChunks } from './word-chunks.js';

export type Handler = (input: { query: URLSearchParams; body: unknown }) => Promise<unknown>;
export type StreamHandler = (input: { query: URLSearchParams; body: unknown; signal: AbortSignal }, send: (event: unknown) => void) => Promise<unknown>;

export class StudioApi {
  private readonly datasets = new Map<string, OpenDataset>();
  private readonly previews = new Map<string, SourcePreview>();
  private temp: string | null = null;
  private nextId = 1;

  constructor(
    readonly workspace: string,
    private readonly recipeFile: string | null,
    readonly playground: Playground,
    readonly recipeRun: RecipeRun,
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
    'GET /api/data/page': async ({ query }) => {
      const dataset = this.dataset(query.get('id'));
      const page = await dataset.page(pageQuery(query));
      const preview = this.previews.get(dataset.id);
      return preview ? { ...page, rows: page.rows.map((row) => ({ ...row, sourceLine: preview.sourceLines[row.line - 1] })) } : page;
    },
    'GET /api/data/locate': async ({ query }) => {
      const dataset = this.dataset(query.get('id'));
      return { record: this.recordAt(dataset, Number(query.get('line'))) };
    },
    'GET /api/data/facets': async ({ query }) => this.dataset(query.get('id')).facets(),
    'POST /api/data/save': async ({ body }) => {
      const request = (body ?? {}) as SaveRequest;
      const dataset = this.editable(request.id ?? null);
      checkWritable(this.workspace, dataset.index.file);
      await saveDataset(dataset.index.file, dataset.index.fingerprint, editsOf(dataset, request));
      const reopened = await this.open(dataset.index.file, dataset.id);
      return this.describe(reopened);
    },
    // A stage output's edits go to a new workspace file; the recipe can be pointed at it.
    'POST /api/data/save-as': async ({ body }) => {
      const request = (body ?? {}) as SaveRequest & { path?: unknown; pointRecipe?: unknown };
      const dataset = this.editable(request.id ?? null);
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
    // Rerun the recipe (after edits on the Data page); the page polls GET /api/run/process.
    'POST /api/run/start': async () => {
      const recipe = this.recipe();
      if (!recipe) throw new FtpipeError('the studio was started without a recipe: there is nothing to rerun', 'STUDIO_BAD_REQUEST', { hint: 'start it with one: ftpipe studio pipelines/x.yaml' });
      return this.recipeRun.start(recipe.name);
    },
    'GET /api/run/process': async () => this.recipeRun.status(),
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
    const recipe = this.recipe();
    const inputs = recipe ? recipeInputFiles(recipe, this.workspace) : [];
    // Refuses dotfiles, the lock, recipes, the store: before reading a byte.
    const access = fileAccess(this.workspace, file, inputs);
    const notFound = (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') throw new FtpipeError(`no such file: ${workspacePath(this.workspace, file)}`, 'STUDIO_NOT_FOUND', { hint: 'pick one of the listed files or type a path relative to the workspace' });
      throw error;
    };
    this.previews.delete(id);
    if (access === 'source') {
      const preview = await buildSourcePreview({ file, recipe, workspace: this.workspace, tempDir: this.tempDir(), id }).catch(notFound);
      const dataset = new OpenDataset(id, workspacePath(this.workspace, file), await JsonlIndex.build(preview.jsonl), this.encoding(recipe), new Map());
      this.previews.set(id, preview);
      this.datasets.set(id, dataset);
      return dataset;
    }
    const index = await JsonlIndex.build(file).catch(notFound);
    const findings = await findingsForFile({ workspace: this.workspace, recipe, file, sha256: index.fingerprint.sha256 });
    const dataset = new OpenDataset(id, workspacePath(this.workspace, file), index, this.encoding(recipe), findings);
    this.datasets.set(id, dataset);
    return dataset;
  }

  private describe(dataset: OpenDataset) {
    const preview = this.previews.get(dataset.id);
    const common = { id: dataset.id, path: dataset.path, lines: dataset.index.lineCount, fingerprint: dataset.index.fingerprint, encoding: dataset.encoding, findings: dataset.findings.size };
    if (preview) return { ...common, access: 'source' as const, producer: null, source: { kind: preview.kind, readBy: preview.readBy } };
    const access = fileAccess(this.workspace, dataset.index.file);
    const producer = access === 'view' ? this.producerOf(dataset.index.file) : null;
    return { ...common, access, producer };
  }

  /** A dataset whose edits may be saved: not a read-only source preview. */
  private editable(id: string | null): OpenDataset {
    const dataset = this.dataset(id);
    if (this.previews.has(dataset.id)) {
      throw new FtpipeError(`${dataset.path} is shown read-only: the recipe converts it into training examples`, 'STUDIO_READ_ONLY', { hint: 'edit the file itself, or the params of the stage that reads it' });
    }
    return dataset;
  }

  /** The record (1-based) holding `line` of the file, for deep links (a source's records may span lines). */
  private recordAt(dataset: OpenDataset, line: number): number {
    const preview = this.previews.get(dataset.id);
    const record = preview ? recordAtSourceLine(preview, line) : line;
    if (!Number.isInteger(line) || line < 1 || record > dataset.index.lineCount || (preview && preview.sourceLines.length === 0)) {
      throw new FtpipeError(`line ${line} is not in ${dataset.path} (${dataset.index.lineCount} ${preview ? 'records' : 'lines'})`, 'STUDIO_NOT_FOUND', { hint: 'open the file at a line that exists' });
    }
    return record;
  }

  private tempDir(): string {
    this.temp ??= mkdtempSync(join(tmpdir(), 'ftpipe-studio-'));
    return this.temp;
  }

  /** Removes the source previews' temp files. */
  async close(): Promise<void> {
    if (this.temp) await rm(this.temp, { recursive: true, force: true });
    this.temp = null;
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
