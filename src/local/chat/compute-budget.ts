/**
 * One request's share of the event loop: heavy work calls `turn()` between slices, which lets every
 * other request (another client's chat, a job poll) run first, and gives up with a 504 once the request
 * has computed for longer than its limit. That is how one client cannot starve the others.
 */
import { ApiError } from '../api-error.js';

export interface ComputeBudget {
  turn(): Promise<void>;
}

export function computeBudget(limitMs: number): ComputeBudget {
  const deadline = Date.now() + limitMs;
  return {
    async turn() {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (Date.now() > deadline) {
        throw new ApiError(504, `The request took longer than the local provider's limit of ${Math.round(limitMs / 1000)} s; ask for less (fewer choices, a shorter prompt or fewer max_tokens).`, { code: 'timeout' });
      }
    },
  };
}
