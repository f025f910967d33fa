/**
 * `ftpipe cache gc` for the eval response cache (.ftpipe/cache/responses): entries not used (read or
 * written) for `keepDays` go, and so do entries of another cache format and temp files a killed run
 * left behind. A hit refreshes an entry's mtime, so what recent runs use stays.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheFormat, removeOrphanTemps } from './response-cache.js';

export interface ResponseCacheCollection {
  entries: number;
  bytes: number;
  kept: number;
}

export async function collectResponseCache(dir: string, options: { keepDays: number; dryRun?: boolean; now?: number }): Promise<ResponseCacheCollection> {
  const result: ResponseCacheCollection = { entries: 0, bytes: 0, kept: 0 };
  if (!existsSync(dir)) return result;
  if (!options.dryRun) await removeOrphanTemps(dir);
  const cutoff = (options.now ?? Date.now()) - options.keepDays * 86_400_000;
  for (const sub of await readdir(dir)) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
      const file = join(dir, sub, name);
      const info = await stat(file);
      if (info.mtimeMs >= cutoff && (await formatOf(file)) === cacheFormat) {
        result.kept++;
        continue;
      }
      result.entries++;
      result.bytes += info.size;
      if (!options.dryRun) await rm(file, { force: true });
    }
  }
  return result;
}

async function formatOf(file: string): Promise<number | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as { v?: number; response?: unknown };
    return entry.response ? (entry.v ?? 1) : undefined;
  } catch {
    return undefined;
  }
}
