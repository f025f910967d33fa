/**
 * Finds stage definitions: built-ins are modules in the package's stages/ folder (one per type, with
 * schemas/stages/<type>.schema.json); `uses: ./path/to/module.js` loads a user's module the same way
 * (with module hooks: `import 'ftpipe'` always works, and its local imports are recorded for the key).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FtpipeError } from '../errors.js';
import { packageRoot, schemasDir } from '../paths.js';
import { moduleLoadError } from './module-errors.js';
import { stageModuleHooks } from './module-hooks.js';
import type { StageDefinition } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/src/stage → dist/stages (compiled) or src/stage → stages (sources, under vitest). */
const builtinDir = resolve(here, '..', '..', 'stages');
const cache = new Map<string, Promise<LoadedStage>>();
/** What `import 'ftpipe'` means inside a stage module: this very ftpipe's library entry (dist/src/index.js). */
const ftpipeEntry = new URL('../index.js', import.meta.url).href;
/** ftpipe's own code, never part of a module's key. */
const ftpipeCode = ['dist', 'src', 'stages'].map((dir) => pathToFileURL(join(packageRoot, dir)).href + '/');

export function isModuleReference(uses: string): boolean {
  return uses.startsWith('./') || uses.startsWith('../') || isAbsolute(uses);
}

export function builtinStageTypes(): string[] {
  if (!existsSync(schemasDir)) return [];
  return readdirSync(join(schemasDir, 'stages'))
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => f.slice(0, -'.schema.json'.length))
    .sort();
}

export function builtinSchemaFile(type: string): string {
  return join(schemasDir, 'stages', `${type}.schema.json`);
}

/** A loaded stage type; for a local module, its file and the workspace files it imports (hashed into the key). */
export interface LoadedStage {
  def: StageDefinition;
  codeFiles: string[];
}

export function loadStage(uses: string, workspace: string): Promise<LoadedStage> {
  const file = isModuleReference(uses) ? resolve(workspace, uses) : builtinModuleFile(uses);
  let loaded = cache.get(file);
  if (!loaded) {
    loaded = importDefinition(file, uses, workspace);
    cache.set(file, loaded);
  }
  return loaded;
}

function builtinModuleFile(type: string): string {
  const js = join(builtinDir, `${type}.js`);
  return existsSync(js) ? js : join(builtinDir, `${type}.ts`);
}

async function importDefinition(file: string, uses: string, workspace: string): Promise<LoadedStage> {
  if (!existsSync(file)) {
    throw new FtpipeError(`stage module not found for "uses: ${uses}" (${file})`, 'STAGE_NOT_FOUND', { hint: 'check the path; it is relative to the workspace root', exitCode: 2 });
  }
  const url = pathToFileURL(file).href;
  const graph = isModuleReference(uses) ? stageModuleHooks({ ftpipe: ftpipeEntry, skip: ftpipeCode }) : undefined;
  const codeFiles = () => (graph ? graph.reachable(url).map((u) => fileURLToPath(u)).filter((f) => f === file || isInside(workspace, f)) : []);
  let mod: { default?: StageDefinition };
  try {
    mod = (await import(url)) as { default?: StageDefinition };
  } catch (error) {
    if (!graph) throw error;
    throw moduleLoadError(error, { uses, files: codeFiles(), workspace });
  }
  const def = mod.default;
  if (!def || typeof def !== 'object' || typeof def.run !== 'function' || typeof def.type !== 'string') {
    throw new FtpipeError(`${uses}: the module's default export is not a stage definition`, 'STAGE_INVALID', {
      hint: "export default defineStage({ type, version, outputs, run }) (import { defineStage } from 'ftpipe')",
      exitCode: 2,
    });
  }
  return { def, codeFiles: codeFiles() };
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
