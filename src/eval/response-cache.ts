/**
 * The eval response cache: one file per (provider identity, model, messages, sampling params), written
 * atomically (src/store/atomic.ts) the moment the response arrives, so a killed run loses nothing it
 * paid for and a rerun sends only the missing requests. Errors are never written. Versioned key, so a
 * change of entry format never reads old entries wrongly. A hit refreshes the entry's mtime: that is
 * its "last used" time, which `ftpipe cache gc` goes by.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatRequest, ChatResponse, ProviderIdentity } from '../providers/types.js';
import { writeFileAtomic } from '../store/atomic.js';

export const cacheFormat = 1;

export interface CachedResponse {
  content: string;
  finishReason: string;
  usage?: { promptTokens: number; completionTokens: number };
  /** How long the provider took to answer, when it was asked. */
  latencyMs?: number;
}

export class ResponseCache {
  private constructor(private readonly dir: string) {}

  /** Opens the cache, removing temp files that a killed run left behind. */
  static async open(dir: string): Promise<ResponseCache> {
    await removeOrphanTemps(dir);
    return new ResponseCache(dir);
  }

  key(identity: ProviderIdentity, request: ChatRequest): string {
    const who = { kind: identity.kind, baseUrl: identity.baseUrl ?? null, organization: identity.organization ?? null, project: identity.project ?? null, apiVersion: identity.apiVersion ?? null };
    const { model, messages, temperature, top_p, max_tokens, seed, stop } = request;
    const what = { model, messages, temperature: temperature ?? null, top_p: top_p ?? null, max_tokens: max_tokens ?? null, seed: seed ?? null, stop: stop ?? null };
    return createHash('sha256').update(JSON.stringify({ v: cacheFormat, who, what })).digest('hex');
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const file = this.file(key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as { v?: number; response?: CachedResponse };
      if ((entry.v ?? 1) === cacheFormat && entry.response && typeof entry.response.content === 'string') {
        const now = new Date();
        await utimes(file, now, now).catch(() => {});
        return entry.response;
      }
    } catch {
      // A corrupt entry (cannot happen with rename, but disks do odd things) is dropped and asked again.
    }
    await rm(file, { force: true });
    return undefined;
  }

  async put(key: string, request: ChatRequest, response: ChatResponse, latencyMs?: number): Promise<CachedResponse> {
    const entry: CachedResponse = { content: response.content, finishReason: response.finishReason, ...(response.usage ? { usage: response.usage } : {}), ...(latencyMs !== undefined ? { latencyMs } : {}) };
    await writeFileAtomic(this.file(key), JSON.stringify({ v: cacheFormat, model: request.model, createdAt: new Date().toISOString(), response: entry }) + '\n');
    return entry;
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }
}

/** Temp files (`.<name>.<pid>.<hex>.tmp`) whose writer is gone; a live process's temps are left alone. */
export async function removeOrphanTemps(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const sub of await readdir(dir)) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
    for (const name of names) {
      const pid = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1];
      if (pid === undefined || processAlive(Number(pid))) continue;
      await rm(join(dir, sub, name), { force: true });
      removed++;
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
