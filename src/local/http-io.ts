/** Reading request bodies under a size limit and writing JSON / error responses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, invalidRequest } from './api-error.js';
import { BodyTooLarge, readBody } from '../http/request-body.js';

export { closeAfterResponse } from '../http/server-timeouts.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendApiError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.toBody(), error.headers);
}

export function tooLarge(limit: number): ApiError {
  return new ApiError(413, `Request body too large: the limit is ${limit} bytes.`, { code: 'request_too_large' });
}

/** The declared body size is checked first so an oversized upload is refused before it is read. */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
}

/** A JSON object body; anything else is a 400 like OpenAI's "We could not parse the JSON body". */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  checkDeclaredLength(req, limit);
  const text = (
    await readBody(req, limit).catch((error) => {
      throw error instanceof BodyTooLarge ? tooLarge(limit) : error;
    })
  ).toString('utf8');
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw invalidRequest('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload.)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

/** Query parameters, with `metadata[key]=value` pairs (the SDK's bracket format) gathered into one object. */
export function parseQuery(url: URL): { params: Record<string, string>; metadata: Record<string, string> } {
  const params: Record<string, string> = {};
  const metadata: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match) metadata[match[1]] = value;
    else params[key] = value;
  }
  return { params, metadata };
}

export function parseLimit(value: string | undefined, fallback: number, max = 100): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalidRequest(`Invalid limit: ${value} (must be a positive integer).`, 'limit');
  return Math.min(n, max);
}

/** Cursor pagination over a newest-first list: items after the one whose id is `after`. */
export function paginate<T extends { id: string }>(items: T[], after: string | undefined, limit: number): { data: T[]; hasMore: boolean } {
  let start = 0;
  if (after !== undefined) {
    const index = items.findIndex((item) => item.id === after);
    start = index === -1 ? items.length : index + 1;
  }
  const data = items.slice(start, start + limit);
  return { data, hasMore: start + limit < items.length };
}
