/**
 * Schema validation is deterministic: once a recipe (as resolved: vars, env, --set applied) passed it
 * with these schemas and stage modules, it passes again. Remembering that keeps no-op reruns fast
 * (ajv is not even loaded). The memo key covers the resolved recipe, ftpipe's schemas and local modules.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot, schemasDir } from '../paths.js';
import { writeFileAtomic } from '../store/atomic.js';
import { digestValue } from '../store/digest.js';
import { isModuleReference } from '../stage/registry.js';

const MAX_ENTRIES = 50;

export function validationKey(value: Record<string, any>, root: string): string {
  const schemaStamps = [join(schemasDir, 'pipeline.schema.json'), ...readdirSync(join(schemasDir, 'stages')).map((f) => join(schemasDir, 'stages', f))].map((f) => `${f}:${statSync(f).mtimeMs}`);
  const modules = Object.values<any>(value.stages ?? {})
    .map((s) => s?.uses)
    .filter((u): u is string => typeof u === 'string' && isModuleReference(u))
    .map((u) => (existsSync(resolve(root, u)) ? readFileSync(resolve(root, u), 'utf8') : u));
  return digestValue({ value, schemaStamps, modules, package: readFileSync(join(packageRoot, 'package.json'), 'utf8') });
}

export function wasValidated(root: string, key: string): boolean {
  return readMemo(root).includes(key);
}

export async function rememberValidated(root: string, key: string): Promise<void> {
  const keys = [key, ...readMemo(root).filter((k) => k !== key)].slice(0, MAX_ENTRIES);
  await writeFileAtomic(memoFile(root), JSON.stringify(keys)).catch(() => undefined); // a read-only workspace just validates each time
}

function memoFile(root: string): string {
  return join(root, '.ftpipe', 'state', 'validated-recipes.json');
}

function readMemo(root: string): string[] {
  try {
    return JSON.parse(readFileSync(memoFile(root), 'utf8'));
  } catch {
    return [];
  }
}
