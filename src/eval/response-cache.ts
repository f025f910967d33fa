/**
 * The eval response cache: one file per (provider identity, model, messages, sampling params), written
 * atomically (temp file + rename) the moment the response arrives, so a killed run loses nothing it
 * paid for and a rerun sends only the missing requests. Errors are never written. Versioned key, so a
 * change of entry format never reads old entries wrongly.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatRequest, ChatResponse, ProviderIdentity } from '../providers/types.js';
import { writeFileAtomic } from '../store/atomic.js';

const cacheFormat = 1;

export interface CachedResponse {
  content: string;
  finishReason: string;
  usage?: { promptTokens: number; completionTokens: number };
}

export class ResponseCache {
  constructor(private readonly dir: string) {}

  key(identity: ProviderIdentity, request: ChatRequest): string {
    const who = { kind: identity.kind, baseUrl: identity.baseUrl ?? null, organization: identity.organization ?? null, project: identity.project ?? null, apiVersion: identity.apiVersion ?? null };
    const { model, messages, temperature, top_p, max_tokens, seed, stop } = request;
    const what = { model, messages, temperature: temperature ?? null, top_p: top_p ?? null, max_tokens: max_tokens ?? null, seed: seed ?? null, stop: stop ?? null };
    return createHash('sha256').update(JSON.stringify({ v: cacheFormat, who, what })).digest('hex');
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as { response?: CachedResponse };
      if (entry.response && typeof entry.response.content === 'string') return entry.response;
    } catch {
      // A corrupt entry (cannot happen with rename, but disks do odd things) is dropped and asked again.
    }
    await rm(this.file(key), { force: true });
    return undefined;
  }

  async put(key: string, request: ChatRequest, response: ChatResponse): Promise<CachedResponse> {
    const entry: CachedResponse = { content: response.content, finishReason: response.finishReason, ...(response.usage ? { usage: response.usage } : {}) };
    const file = this.file(key);
    await writeFileAtomic(file, JSON.stringify({ model: request.model, createdAt: new Date().toISOString(), response: entry }) + '\n'); // a failed write leaves no temp
    return entry;
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }
}
