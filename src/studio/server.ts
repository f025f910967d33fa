/**
 * `ftpipe studio`'s HTTP server: the JSON API under /api/ and the static front end. Local only by
 * default; requests whose Host is not the address it listens on are refused (DNS rebinding).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FtpipeError, ExitCode } from '../errors.js';
import type { ProviderConfig, ProviderFactory } from '../providers/types.js';
import { StudioApi } from './api.js';
import { Playground } from './playground.js';
import { readRecipeView } from './recipe-view.js';
import { readJsonBody, sendError, sendJson } from './http-json.js';
import { serveStatic } from './static-files.js';

export interface StudioOptions {
  workspace: string;
  /** Absolute path of the recipe; null opens the studio on the workspace alone (Data page only). */
  recipe: string | null;
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** Tests and embedders may pass their own provider factory; default: src/providers/index.ts. */
  providerFactory?: ProviderFactory;
}

export interface RunningStudio {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startStudio(options: StudioOptions): Promise<RunningStudio> {
  const host = options.host ?? '127.0.0.1';
  const providerConfig: ProviderConfig = options.recipe ? readRecipeView(options.recipe, options.workspace).provider : { kind: 'local' };
  const playground = new Playground(providerConfig, { workspace: options.workspace, env: options.env ?? process.env, factory: options.providerFactory });
  const api = new StudioApi(options.workspace, options.recipe, playground);
  // Filled once the port is known; requests cannot arrive before listen() has resolved.
  const allowedHosts = new Set<string>();
  const server = createServer((req, res) => {
    if (!allowedHosts.has(String(req.headers.host))) {
      sendJson(res, 403, { error: { message: `unexpected Host header "${req.headers.host}"`, code: 'STUDIO_BAD_HOST' } });
      return;
    }
    handle(api, req, res).catch((error) => sendError(res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new FtpipeError(`port ${options.port} is already in use`, 'STUDIO_PORT_IN_USE', { hint: 'pick another one with --port', exitCode: ExitCode.usage }) : error),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  for (const name of [host.includes(':') ? `[${host}]` : host, 'localhost', '127.0.0.1', '[::1]']) allowedHosts.add(`${name}:${port}`);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await playground.close();
    },
  };
}

async function handle(api: StudioApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://studio.invalid');
  if (url.pathname.startsWith('/api/')) {
    const route = api.routes[`${req.method} ${url.pathname}`];
    if (!route) throw new FtpipeError(`no API route ${req.method} ${url.pathname}`, 'STUDIO_NOT_FOUND');
    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    sendJson(res, 200, await route({ query: url.searchParams, body }));
    return;
  }
  if (req.method !== 'GET' || !serveStatic(url.pathname, res)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
  }
}
