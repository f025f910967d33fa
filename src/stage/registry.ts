/**
 * Finds stage definitions: built-ins are modules in the package's stages/ folder (one per type, with
 * schemas/stages/<type>.schema.json); `uses: ./path/to/module.js` loads a user's module the same way.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FtpipeError } from '../errors.js';
import { schemasDir } from '../paths.js';
import type { StageDefinition } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/src/stage → dist/stages (compiled) or src/stage → stages (sources, under vitest). */
const builtinDir = resolve(here, '..', '..', 'stages');
const cache = new Map<string, Promise<StageDefinition>>();

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

export function loadStage(uses: string, workspace: string): Promise<StageDefinition> {
  const file = isModuleReference(uses) ? resolve(workspace, uses) : builtinModuleFile(uses);
  let loaded = cache.get(file);
  if (!loaded) {
    loaded = importDefinition(file, uses);
    cache.set(file, loaded);
  }
  return loaded;
}

function builtinModuleFile(type: string): string {
  const js = join(builtinDir, `${type}.js`);
  return existsSync(js) ? js : join(builtinDir, `${type}.ts`);
}

async function importDefinition(file: string, uses: string): Promise<StageDefinition> {
  if (!existsSync(file)) {
    throw new FtpipeError(`stage module not found for "uses: ${uses}" (${file})`, 'STAGE_NOT_FOUND', { hint: 'check the path; it is relative to the workspace root', exitCode: 2 });
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: StageDefinition };
  const def = mod.default;
  if (!def || typeof def !== 'object' || typeof def.run !== 'function' || typeof def.type !== 'string') {
    throw new FtpipeError(`${uses}: the module's default export is not a stage definition`, 'STAGE_INVALID', {
      hint: "export default defineStage({ type, version, outputs, run }) (import { defineStage } from 'ftpipe')",
      exitCode: 2,
    });
  }
  return def;
}
