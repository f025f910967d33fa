/** The together-ai SDK's errors as the openai SDK's classes (see ../vendor-http-error.ts). */
import { APIConnectionError, APIUserAbortError } from 'openai';
import { APIConnectionError as TogetherConnectionError, APIError as TogetherAPIError, APIUserAbortError as TogetherAbortError } from 'together-ai';
import { errorFromResponse } from '../vendor-http-error.js';

/** The together-ai SDK's own error classes → the openai SDK's; anything else passes through. */
export function fromTogetherError(error: unknown): unknown {
  if (error instanceof TogetherAbortError) return new APIUserAbortError({ message: error.message });
  if (error instanceof TogetherConnectionError) return new APIConnectionError({ message: error.message, cause: error.cause instanceof Error ? error.cause : undefined });
  if (error instanceof TogetherAPIError && error.status !== undefined) return errorFromResponse(error.status, error.error, toHeaders(error.headers));
  return error;
}

function toHeaders(headers: unknown): Headers {
  if (headers instanceof Headers) return headers;
  return new Headers((headers ?? {}) as Record<string, string>);
}
