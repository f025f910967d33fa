/**
 * Vendor HTTP failures (Fireworks' REST answers, the together-ai SDK's errors via together/together-errors.ts) as the openai SDK's error
 * classes, which the retry loop (src/remote/retry.ts) and error reporting (remote-error.ts) already
 * understand: one vocabulary for 429 retry-after, 5xx backoff and "401: check the key".
 */
import { APIError } from 'openai';

/** Error bodies vary: OpenAI/Together `{error: {message, type, code}}`, gRPC-gateway `{code, message, details}`, plain text. */
export function errorFromResponse(status: number, body: unknown, headers: Headers): APIError {
  return APIError.generate(status, { error: normaliseBody(body, status) }, undefined, headers);
}

export function normaliseBody(body: unknown, status: number): { message: string; code: string | null; type: string | null; param: string | null; details?: unknown } {
  if (typeof body === 'string') return { message: body.trim() || `HTTP ${status}`, code: null, type: null, param: null };
  const record = (body ?? {}) as Record<string, unknown>;
  const inner = (typeof record.error === 'object' && record.error !== null ? record.error : record) as Record<string, unknown>;
  const message = typeof inner.message === 'string' ? inner.message : typeof record.error === 'string' ? record.error : `HTTP ${status}`;
  // gRPC-gateway sends a numeric code and the status name separately.
  const code = typeof inner.code === 'string' ? inner.code : typeof inner.status === 'string' ? inner.status : typeof inner.code === 'number' ? (grpcNames[inner.code] ?? String(inner.code)) : null;
  return { message, code, type: typeof inner.type === 'string' ? inner.type : null, param: typeof inner.param === 'string' ? inner.param : null, details: inner.details };
}

/** gRPC status codes by number (the gateway sends the number). */
const grpcNames: Record<number, string> = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 6: 'ALREADY_EXISTS', 7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE', 12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 15: 'DATA_LOSS', 16: 'UNAUTHENTICATED',
};
