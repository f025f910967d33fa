/**
 * JSON in and out of the studio's HTTP API. User mistakes (FtpipeError) become 4xx answers carrying
 * message, code and hint for the page to show; anything else is a 500 ("this is a bug").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FtpipeError, isFtpipeError } from '../errors.js';
import { BodyTooLarge, readBody } from '../http/request-body.js';

/** Edits of a large file are sent whole; beyond this the request is refused rather than buffered. */
const MAX_BODY_BYTES = 64 << 20;

const STATUS_BY_CODE: Record<string, number> = {
  STUDIO_FILE_CHANGED: 409,
  STUDIO_PATH_OUTSIDE: 403,
  STUDIO_NOT_FOUND: 404,
  STUDIO_NO_PROVIDER: 503,
  STUDIO_BODY_TOO_LARGE: 413,
  STUDIO_TOKEN: 401,
  STUDIO_BAD_HOST: 403,
  STUDIO_CROSS_ORIGIN: 403,
  STUDIO_PATH_REFUSED: 403,
  STUDIO_READ_ONLY: 403,
  STUDIO_FILE_EXISTS: 409,
  STUDIO_RUN_BUSY: 409,
};

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    // Also keeps other web pages out: a cross-site form cannot send this content type without a preflight.
    throw new FtpipeError('requests must be sent as application/json', 'STUDIO_BAD_REQUEST');
  }
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) throw new FtpipeError(`request body over ${MAX_BODY_BYTES >> 20} MB`, 'STUDIO_BODY_TOO_LARGE');
  const body = await readBody(req, MAX_BODY_BYTES).catch((error) => {
    throw error instanceof BodyTooLarge ? new FtpipeError(`request body over ${MAX_BODY_BYTES >> 20} MB`, 'STUDIO_BODY_TOO_LARGE') : error;
  });
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new FtpipeError(`request body is not valid JSON (${(error as Error).message})`, 'STUDIO_BAD_REQUEST');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `redact` removes known secrets from the answer (a provider's error may echo a key). */
export function sendError(res: ServerResponse, error: unknown, redact: <T>(value: T) => T = (value) => value): void {
  if (isFtpipeError(error)) {
    sendJson(res, STATUS_BY_CODE[error.code] ?? 400, redact({ error: { message: error.message, code: error.code, hint: error.hint } }));
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, redact({ error: { message: `internal error: ${message} (this is a bug, please report it)`, code: 'STUDIO_INTERNAL' } }));
}

/**
 * An answer sent as it is made: one JSON value per line (application/x-ndjson). The status line goes
 * out with the first event, so an error before it is still a plain JSON error answer; one after it is
 * sent as a last `{ "error": … }` line. Every event passes through `redact` on its way out.
 */
export async function sendNdjson(res: ServerResponse, redact: <T>(value: T) => T, produce: (send: (event: unknown) => void) => Promise<unknown>): Promise<void> {
  const send = (event: unknown) => {
    if (res.destroyed) return;
    if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.write(JSON.stringify(redact(event)) + '\n');
  };
  try {
    send(await produce(send));
  } catch (error) {
    if (!res.headersSent) throw error;
    send({ error: isFtpipeError(error) ? { message: error.message, code: error.code, hint: error.hint } : { message: `internal error: ${error instanceof Error ? error.message : String(error)} (this is a bug, please report it)`, code: 'STUDIO_INTERNAL' } });
  }
  res.end();
}
