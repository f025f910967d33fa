/**
 * The local provider: an OpenAI-compatible HTTP server (files, fine-tuning jobs, chat completions,
 * models) with a small real CPU trainer, so pipelines run offline with the official `openai` SDK.
 * State lives in `dataDir` and survives restarts; unfinished jobs are retrained on start.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './api-error.js';
import { sendApiError } from './http-io.js';
import { FaultInjector, type FaultConfig } from './faults.js';
import { FileStore } from './state/file-store.js';
import { JobStore } from './state/job-store.js';
import { ModelStore } from './state/model-store.js';
import { JobRunner } from './jobs/job-runner.js';
import { matchRoute, type ServerState } from './routes/route-table.js';
import { flavourTable, type Flavour, type FlavourOptions } from './routes/flavours.js';

export type { FaultConfig } from './faults.js';

export interface LocalServerOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** 0 = a free port. */
  port?: number;
  /** State (files, jobs, models) persists here across restarts. */
  dataDir: string;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  faults?: FaultConfig;
  /** Largest request body (file uploads); JSON bodies are further capped at 10 MB. Default 512 MB. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
  /** Which vendor's API the server speaks over the shared core (default openai); see routes/flavours.ts. */
  flavor?: Flavour;
  flavorOptions?: FlavourOptions;
}

export interface LocalServer {
  /** e.g. http://127.0.0.1:43123/v1 — the SDK's baseURL (the flavour's base path: Fireworks' is the root). */
  url: string;
  /** Requests received per route ("POST /v1/files": 1), faulted ones included. */
  requestCounts(): Record<string, number>;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 512 * 1024 * 1024;
const MAX_JSON_BYTES = 10 * 1024 * 1024;

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const log = options.log ?? (() => {});
  const faults = new FaultInjector(options.faults);
  const files = new FileStore(options.dataDir);
  const jobs = new JobStore(options.dataDir);
  const models = new ModelStore(options.dataDir);
  const runner = new JobRunner({ files, jobs, models, faults: options.faults ?? {}, log });
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const state: ServerState = { files, jobs, models, runner, limits: { fileBytes: maxBody, jsonBytes: Math.min(maxBody, MAX_JSON_BYTES) } };
  const counts = new Map<string, number>();
  const { routes, basePath } = flavourTable(options.flavor ?? 'openai', { dataDir: options.dataDir, options: options.flavorOptions ?? {} });

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.stack : error}`);
      sendApiError(res, new ApiError(500, 'The local provider had an internal error (see its log).', { code: 'server_error' }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    const key = match && 'route' in match ? match.key : `${req.method} ${url.pathname}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (options.faults?.latencyMs) await sleep(options.faults.latencyMs);
    const fault = faults.decide(key);
    if (fault.kind === 'drop') {
      log(`fault: dropping ${key}`);
      req.socket.destroy();
      return;
    }
    try {
      if (fault.kind === 'error') throw fault.error;
      checkToken(req, options.token);
      if (!match) throw new ApiError(404, `Invalid URL (${req.method} ${url.pathname})`);
      if (!('route' in match)) throw new ApiError(405, `Method ${req.method} not allowed for ${url.pathname} (allowed: ${match.allowed.join(', ')}).`, { headers: { allow: match.allowed.join(', ') } });
      await match.route.handle({ req, res, url, params: match.params, state });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Unread request bytes would otherwise be taken as the next request on this keep-alive socket.
      if (!req.readableEnded) res.setHeader('connection', 'close');
      sendApiError(res, error);
    }
  }

  await runner.resumeUnfinished();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${basePath}`;
  log(`local provider listening on ${url} (data in ${options.dataDir})`);

  return {
    url,
    requestCounts: () => Object.fromEntries(counts),
    async close() {
      await runner.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function checkToken(req: IncomingMessage, token: string | undefined): void {
  if (token === undefined) return;
  const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length === b.length && timingSafeEqual(a, b)) return;
  throw new ApiError(401, 'Incorrect API key provided. The local provider was started with a token; send it as the API key.', { code: 'invalid_api_key' });
}
