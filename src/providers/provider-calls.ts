/**
 * How an adapter makes its calls: reads retried by the shared policy (src/remote/retry.ts), creates
 * through findBeforeCreate or a vendor's own idempotency, and every failure reported as an
 * FtpipeError naming the action ("create the fine-tuning job: 400 …"). Vendors whose SDK has its own
 * error classes pass `normalise` to turn them into the openai SDK's (vendor-http-error.ts).
 */
import { withRetries, type RetryOptions } from '../remote/retry.js';
import { FtpipeError } from '../errors.js';
import { toProviderError } from './remote-error.js';

export interface ProviderCallOptions {
  retry?: Omit<RetryOptions, 'signal'>;
  normalise?: (error: unknown) => unknown;
  /** A hint for errors the adapter knows more about (a wrong account, a model the vendor does not tune). */
  hintFor?: (error: unknown, action: string) => string | undefined;
}

export class ProviderCalls {
  constructor(private readonly options: ProviderCallOptions = {}) {}

  retryOptions(signal?: AbortSignal): RetryOptions {
    return { ...this.options.retry, signal };
  }

  /** A call that changes nothing remotely: retried. */
  read<T>(action: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    return this.guard(action, signal, () => withRetries(() => this.normalised(call), this.retryOptions(signal)));
  }

  /** A create made safe by a client-chosen id (a repeat finds the same object): retried like a read. */
  idempotent<T>(action: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    return this.read(action, signal, call);
  }

  /** A call retried only by the caller's own rules (creates); errors are still reported the same way. */
  async guard<T>(action: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await this.normalised(call);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const reported = toProviderError(error, action);
      const hint = this.options.hintFor?.(error, action);
      if (hint && reported instanceof FtpipeError) throw new FtpipeError(reported.message, reported.code, { hint, cause: reported.cause, exitCode: reported.exitCode, stage: reported.stage });
      throw reported;
    }
  }

  /** One raw vendor call with its errors in the openai SDK's classes, for use inside a retry loop (findBeforeCreate). */
  async normalised<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.options.normalise ? this.options.normalise(error) : error;
    }
  }
}

/** Request options for vendor SDKs: no SDK retries (ours decide), a per-request signal. */
export function perRequest(signal: AbortSignal | undefined) {
  return { maxRetries: 0, signal: signal ? AbortSignal.any([signal]) : undefined };
}
