/**
 * `ftpipe studio`'s HTTP server: the JSON API under /api/ and the static front end. Local only by
 * default, and only for whoever has its token (studio-access.ts): the Host must be the address it
 * listens on (DNS rebinding), writes must come from its own pages, and requests are bounded in time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FtpipeError, ExitCode, isFtpipeError } from '../errors.js';
import type { ProviderConfig, ProviderFactory } from '../providers/types.js';
import { newToken } from '../http/bearer-token.js';
import { isLoopbackHost, originPolicy } from '../http/request-origin.js';
import { applyConnectionLimits, clientGone, closeAfterResponse, DEFAULT_TIMEOUTS, serverOptions } from '../http/server-timeouts.js';
import { StudioApi } from './api.js';
import { Playground } from './playground.js';
import { RecipeRun } from './recipe-run.js';
import { readRecipeView } from './recipe-view.js';
import { readJsonBody, sendError, sendJson, sendNdjson } from './http-json.js';
import { redactForWorkspace } from '../secrets/redact.js';
import { serveStatic } from './static-files.js';
import { checkAccess, tokenPage, type StudioAccess } from './studio-access.js';

export interface StudioOptions {
  workspace: string;
  /** Absolute path of the recipe; null opens the studio on the workspace alone (Data page only). */
  recipe: string | null;
  port?: number;
  host?: string;
  /** The token of its URL; default: a new one for every start. Required for a non-loopback host. */
  token?: string;
  env?: NodeJS.ProcessEnv;
  /** Tests and embedders may pass their own provider factory; default: src/providers/index.ts. */
  providerFactory?: ProviderFactory;
}

export interface RunningStudio {
  /** The URL to open: it carries the token (the first visit turns it into a cookie). */
  url: string;
  /** The same without the token, e.g. http://127.0.0.1:4321/ */
  origin: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export async function startStudio(options: StudioOptions): Promise<RunningStudio> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.token === undefined) {
    throw new FtpipeError(`--host ${host} reaches beyond this machine: the studio reads and writes your workspace; refusing without a token you chose`, 'STUDIO_HOST_NEEDS_TOKEN', {
      exitCode: ExitCode.usage,
      hint: 'export NAME=<a long random secret> and add --token-env NAME, or keep the default --host 127.0.0.1',
    });
  }
  const providerConfig: ProviderConfig = options.recipe ? readRecipeView(options.recipe, options.workspace).provider : { kind: 'local' };
  const playground = new Playground(providerConfig, { workspace: options.workspace, env: options.env ?? process.env, factory: options.providerFactory });
  const recipeRun = new RecipeRun({ workspace: options.workspace, env: options.env ?? process.env });
  const api = new StudioApi(options.workspace, options.recipe, playground, recipeRun);
  // Filled in once the port is known; requests cannot arrive before listen() has resolved.
  const access: StudioAccess = { policy: { hosts: new Set(), origins: new Set() }, token: options.token ?? newToken(), cookieName: '' };
  const server = createServer(serverOptions(DEFAULT_TIMEOUTS), (req, res) => {
    handle(api, access, req, res).catch((error) => {
      if (clientGone(req)) return;
      // Unread request bytes (a body past the limit) are not read on: the connection closes after the answer.
      if (!req.complete) closeAfterResponse(req, res);
      if (isFtpipeError(error) && error.code === 'STUDIO_TOKEN' && wantsPage(req)) return sendPage(res, 401, tokenPage(error.message));
      sendError(res, error, (value) => redactForWorkspace(options.workspace, value));
    });
  });
  applyConnectionLimits(server, DEFAULT_TIMEOUTS);
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new FtpipeError(`port ${options.port} is already in use`, 'STUDIO_PORT_IN_USE', { hint: 'pick another one with --port', exitCode: ExitCode.usage }) : error),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  access.policy = originPolicy({ bindHost: host, port });
  // Cookies are per host, not per port: the name keeps two studios on one machine apart.
  access.cookieName = `ftpipe_studio_${port}`;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  return {
    url: `${origin}?token=${access.token}`,
    origin,
    token: access.token,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([playground.close(), recipeRun.close(), api.close()]);
    },
  };
}

async function handle(api: StudioApi, access: StudioAccess, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://studio.invalid');
  if (checkAccess(access, req, res, url) === 'answered') return;
  if (url.pathname.startsWith('/api/')) {
    const key = `${req.method} ${url.pathname}`;
    const route = api.routes[key];
    const stream = api.streams[key];
    if (!route && !stream) throw new FtpipeError(`no API route ${req.method} ${url.pathname}`, 'STUDIO_NOT_FOUND');
    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    // One choke point: no answer carries a known key (the environment's or the workspace .env's).
    const redact = <T>(value: T): T => redactForWorkspace(api.workspace, value);
    if (stream) {
      const aborted = new AbortController();
      res.once('close', () => aborted.abort());
      await sendNdjson(res, redact, (send) => stream({ query: url.searchParams, body, signal: aborted.signal }, send));
      return;
    }
    sendJson(res, 200, redact(await route({ query: url.searchParams, body })));
    return;
  }
  if (req.method !== 'GET' || !serveStatic(url.pathname, res)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
  }
}

function wantsPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && !String(req.url).startsWith('/api/') && String(req.headers.accept ?? '').includes('text/html');
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}
