/** The server's routes as plain data, and path matching (`:name` segments become params). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileStore } from '../state/file-store.js';
import type { JobStore } from '../state/job-store.js';
import type { ModelStore } from '../state/model-store.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { RequestLimits } from '../request-limits.js';

export interface ServerState {
  files: FileStore;
  jobs: JobStore;
  models: ModelStore;
  runner: JobRunner;
  limits: RequestLimits;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  state: ServerState;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. "/v1/fine_tuning/jobs/:id/events" */
  pattern: string;
  handle(ctx: RequestContext): Promise<void>;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  /** "GET /v1/fine_tuning/jobs/:id": what request counts and route-specific faults are keyed by. */
  key: string;
}

/** The matching route, or which methods the path allows (for a 405) when only the method is wrong. */
export function matchRoute(routes: Route[], method: string, pathname: string): RouteMatch | { allowed: string[] } | undefined {
  const segments = pathname.replace(/\/+$/, '').split('/');
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern.split('/'), segments);
    if (!params) continue;
    if (route.method === method) return { route, params, key: `${route.method} ${route.pattern}` };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      if (segments[i] === '') return undefined;
      try {
        params[pattern[i].slice(1)] = decodeURIComponent(segments[i]);
      } catch {
        return undefined;
      }
    } else if (pattern[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}
