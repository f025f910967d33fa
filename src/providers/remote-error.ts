/**
 * Provider API errors → FtpipeError with the provider's own message and code, so the user sees
 * "invalid_training_file: …" rather than a stack trace from the SDK.
 */
import { APIError, APIConnectionError } from 'openai';
import { FtpipeError } from '../errors.js';

export function toProviderError(error: unknown, action: string): unknown {
  if (error instanceof FtpipeError) return error;
  if (error instanceof APIConnectionError) {
    return new FtpipeError(`${action}: cannot reach the provider (${error.message})`, 'PROVIDER_UNREACHABLE', {
      cause: error,
      hint: 'check the network and the provider base_url; the call was retried with backoff',
    });
  }
  if (error instanceof APIError && error.status !== undefined) {
    const code = error.code ?? `http_${error.status}`;
    return new FtpipeError(`${action}: ${error.status} ${code}: ${bodyMessage(error)}`, `PROVIDER_${error.status === 401 || error.status === 403 ? 'AUTH' : 'ERROR'}`, {
      cause: error,
      hint: hintFor(error.status),
    });
  }
  return error;
}

function bodyMessage(error: APIError): string {
  const body = error.error as { message?: string } | undefined;
  return body?.message ?? error.message;
}

function hintFor(status: number): string | undefined {
  if (status === 401) return 'the API key was rejected: check the environment variable the provider reads';
  if (status === 403) return 'the key has no access to this resource (organization/project?)';
  if (status === 404) return 'the id does not exist on this provider (was it made with another provider or key?)';
  if (status === 429) return 'rate limited or out of quota; retried with backoff, try again later';
  return undefined;
}
