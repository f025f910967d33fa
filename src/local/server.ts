/**
 * The local provider: an OpenAI-compatible HTTP server (files, fine-tuning jobs, chat completions,
 * models) with a small real CPU trainer, so pipelines run offline with the official `openai` SDK.
 * State lives in `dataDir` and survives restarts; unfinished jobs are retrained on start.
 * Every request passes the shared security layer (Host, Origin, token) and the shared limits (body size,
 * time, connections) before its route: the route table only maps a vendor's shapes to the core.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './api-error.js';
import { closeAfterResponse, sendApiError } from './http-io.js';
import { ClientGone } from './multipart-upload.js';
import { FaultInjector, type FaultConfig } from './faults.js';
import { FileStore } from './state/file-store.js';
import { join } from 'node:path';
import { sweepDeadTempsIn } from '../store/temp-sweep.js';
import { JobStore } from './state/job-store.js';
import { registerServer } from './state/data-dir-servers.js';
import { ModelStore } from './state/model-store.js';
import { JobRunner } from './jobs/job-runner.js';
import { matchRoute, type ServerState } from './routes/route-table.js';
import { flavourTable, type Flavour, type FlavourOptions } from './routes/flavours.js';
import { checkBindAddress, guardRequest } from './request-guard.js';
import { ranksReady } from './chat/ranks-loader.js';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request-limits.js';
import { originPolicy } from '../http/request-origin.js';
import { applyConnectionLimits, clientGone, DEFAULT_TIMEOUTS, serverOptions, type ServerTimeouts } from '../http/server-timeouts.js';

export type { FaultConfig } from './faults.js';

export interface LocalServerOptions {
  /** Default 127.0.0.1 (loopback only); any other address needs a token. */
  host?: string;
  /** 0 = a free port. */
  port?: number;
  /** State (files, jobs, models) persists here across restarts. */
  dataDir: string;
  /** When set, every request must carry `Authorization: Bearer <token>` (`ftpipe serve` always sets one). */
  token?: string;
  /** More Host header values to answer to (a name the machine is reached by). */
  allowHosts?: string[];
  /** Origins whose browser pages may call the server (none by default). */
  allowOrigins?: string[];
  faults?: FaultConfig;
  /** Largest request body (file uploads); JSON bodies are further capped at 10 MB. Default 512 MB. */
  maxBodyBytes?: number;
  /** Per-request bounds (n, max_tokens, prompt tokens, compute time); defaults in request-limits.ts. */
  limits?: Partial<RequestLimits>;
  timeouts?: Partial<ServerTimeouts>;
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
  const bindHost = options.host ?? '127.0.0.1';
  checkBindAddress(bindHost, options.token);
  const log = options.log ?? (() => {});
  mkdirSync(options.dataDir, { recursive: true });
  const registration = await registerServer(options.dataDir);
  try {
    return await serve(options, bindHost, log, registration);
  } catch (error) {
    await registration.release();
    throw error;
  }
}

async function serve(options: LocalServerOptions, bindHost: string, log: (line: string) => void, registration: Awaited<ReturnType<typeof registerServer>>): Promise<LocalServer> {
  const faults = new FaultInjector(options.faults);
  const files = new FileStore(options.dataDir);
  const jobs = new JobStore(options.dataDir);
  const models = new ModelStore(options.dataDir);
  const runner = new JobRunner({ dataDir: options.dataDir, files, jobs, models, faults: options.faults ?? {}, log });
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limits: RequestLimits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits, fileBytes: maxBody, jsonBytes: Math.min(maxBody, MAX_JSON_BYTES) };
  const state: ServerState = { files, jobs, models, runner, limits };
  const timeouts: ServerTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const counts = new Map<string, number>();
  const { routes, basePath } = flavourTable(options.flavor ?? 'openai', { dataDir: options.dataDir, options: options.flavorOptions ?? {} });
  let policy = originPolicy({ bindHost, port: options.port ?? 0 });

  const server = createServer(serverOptions(timeouts), (req, res) => {
    handle(req, res).catch((error) => {
      // The client went away mid-request: there is no one to answer, and nothing went wrong here.
      if (error instanceof ClientGone || clientGone(req)) return void req.socket?.destroy();
      log(`internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.stack : error}`);
      fail(req, res, new ApiError(500, 'The local provider had an internal error (see its log).', { code: 'server_error' }));
    });
  });
  applyConnectionLimits(server, timeouts);
  // A broken client connection is that client's problem, never the server's.
  server.on('clientError', (_error, socket) => socket.destroy());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    const key = match && 'route' in match ? match.key : `${req.method} ${url.pathname}`;
    try {
      guardRequest(req, policy, options.token);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (options.faults?.latencyMs) await sleep(options.faults.latencyMs);
      const fault = faults.decide(key);
      if (fault.kind === 'drop') {
        log(`fault: dropping ${key}`);
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'error') throw fault.error;
      if (!match) throw new ApiError(404, `Invalid URL (${req.method} ${url.pathname})`);
      if (!('route' in match)) throw new ApiError(405, `Method ${req.method} not allowed for ${url.pathname} (allowed: ${match.allowed.join(', ')}).`, { headers: { allow: match.allowed.join(', ') } });
      await match.route.handle({ req, res, url, params: match.params, state });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      fail(req, res, error);
    }
  }

  void ranksReady('o200k_base'); // the tokenizer of every current model, ready before the first chat
  // Unfinished jobs are another live server's to finish; only the only server of a folder resumes them.
  if (registration.others.length === 0) {
    await runner.resumeUnfinished();
    // Uploads a killed server (or a killed in-process run) was receiving: their writer is gone.
    for (const path of await sweepDeadTempsIn(join(options.dataDir, 'files'))) log(`removed the unfinished upload ${path}`);
  }
  else log(`data in ${options.dataDir} is also served by process ${registration.others.join(', ')}: its unfinished jobs are left to it`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  }).catch(async (error) => {
    await runner.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  policy = originPolicy({ bindHost, port: address.port, allowHosts: options.allowHosts, allowOrigins: options.allowOrigins });
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
      await registration.release();
    },
  };
}

function fail(req: IncomingMessage, res: ServerResponse, error: ApiError): void {
  // Unread request bytes would otherwise be taken as the next request on this keep-alive socket.
  if (!req.complete) closeAfterResponse(req, res);
  sendApiError(res, error);
}
