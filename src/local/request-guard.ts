/**
 * The local provider's security layer, applied to every request before any route (every vendor flavour
 * gets it): Host and Origin checks (src/http/request-origin.ts) and the bearer token, as OpenAI-shaped
 * errors. A server bound beyond loopback must have a token chosen by its user.
 */
import type { IncomingMessage } from 'node:http';
import { ExitCode, FtpipeError } from '../errors.js';
import { bearerToken, tokenMatches } from '../http/bearer-token.js';
import { checkRequestOrigin, isLoopbackHost, type OriginPolicy } from '../http/request-origin.js';
import { ApiError } from './api-error.js';

export function checkBindAddress(host: string, token: string | undefined): void {
  if (isLoopbackHost(host) || token !== undefined) return;
  throw new FtpipeError(`Refusing to listen on ${host} without a token: anyone who can reach that address could upload files and create jobs.`, 'SERVE_HOST_NEEDS_TOKEN', {
    exitCode: ExitCode.usage,
    hint: 'choose a token and pass it with --token-env NAME (export NAME=<a long random secret>), or keep the default --host 127.0.0.1',
  });
}

export function guardRequest(req: IncomingMessage, policy: OriginPolicy, token: string | undefined): void {
  const refusal = checkRequestOrigin(req.headers, policy);
  if (refusal) throw new ApiError(refusal.status, refusal.message, { type: 'invalid_request_error', code: refusal.reason === 'host' ? 'invalid_host' : 'cross_origin_forbidden' });
  if (token === undefined) return;
  if (tokenMatches(bearerToken(req.headers.authorization), token)) return;
  const missing = bearerToken(req.headers.authorization) === '';
  throw new ApiError(
    401,
    missing
      ? "You didn't provide an API key. The local provider needs its token as the API key (Authorization: Bearer <token>); `ftpipe serve` prints it when it starts."
      : 'Incorrect API key provided. The local provider was started with a token; send it as the API key.',
    { code: missing ? null : 'invalid_api_key' },
  );
}
