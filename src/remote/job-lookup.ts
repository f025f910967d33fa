/**
 * For providers that cannot find a job by ftpipe's key (capabilities.jobLookup "none"): which failed
 * creates are safe to retry (the request surely never reached the server), and the error given when a
 * create's outcome is unknown. Repeating such a create blindly is how one lost response becomes six jobs.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { FtpipeError } from '../errors.js';

/** Connection failures that happen before a request is sent. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** True unless the error proves the server did not act on the request (a 4xx, 429, 503, or a connection never made). */
export function mayHaveReachedServer(error: unknown): boolean {
  if (error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError) return true;
  if (error instanceof APIConnectionError) return !notSentCodes.has(causeCode(error) ?? '');
  if (error instanceof APIError && typeof error.status === 'number') return error.status >= 500 && error.status !== 503;
  if (error instanceof TypeError) return !notSentCodes.has(causeCode(error) ?? '');
  return true;
}

function causeCode(error: unknown): string | undefined {
  for (let e = (error as { cause?: unknown }).cause as { code?: unknown; cause?: unknown } | undefined; e && typeof e === 'object'; e = e.cause as typeof e) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

export function uncertainCreateError(options: { provider: string; since: string; stage?: string; interrupted: boolean; cause?: unknown }): FtpipeError {
  const what = options.interrupted ? `an earlier run was stopped while creating the fine-tuning job (at ${options.since})` : 'the request creating the fine-tuning job got no answer';
  return new FtpipeError(
    `${what}; provider ${options.provider} cannot look jobs up by ftpipe's key, so ftpipe cannot tell whether the job exists and will not create another blindly`,
    'JOB_CREATE_UNCERTAIN',
    {
      stage: options.stage,
      cause: options.cause,
      hint:
        `look at the provider's jobs created since ${options.since}: cancel any that run made, then run again with --force ${options.stage ?? '<stage>'} to create one job. ` +
        'If the server keeps job metadata, set job_lookup: metadata in the provider block and ftpipe finds the job itself',
    },
  );
}
