/**
 * Idempotent creation for calls that cost money or leave a remote object behind (jobs, uploads).
 * Each attempt first looks for the object a previous attempt (or a crashed run) may have made, and
 * only creates when nothing is found. A create whose response was lost (reset connection, 5xx
 * after the write) is thus found on the next attempt instead of being made twice.
 */
import { withRetries, type RetryOptions } from './retry.js';

export interface FindBeforeCreate<T> {
  /** The object made earlier, if any; read-only calls, retried on their own. */
  find(): Promise<T | null>;
  /** One creating call, with the SDK's retries off. */
  create(): Promise<T>;
}

export async function findBeforeCreate<T>(steps: FindBeforeCreate<T>, options: RetryOptions = {}): Promise<{ value: T; created: boolean }> {
  // Every attempt looks first: a create whose response was lost is found, not made again.
  return withRetries(async () => {
    const found = await steps.find();
    if (found) return { value: found, created: false };
    return { value: await steps.create(), created: true };
  }, options);
}
