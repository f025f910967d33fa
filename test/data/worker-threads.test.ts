import { describe, expect, it } from 'vitest';
import { defaultWorkerThreads, WORKER_MIN_BYTES } from '../../src/data/worker-threads.js';

describe('default worker threads', () => {
  it('none for small inputs or 2 cores; one per core beyond two, at most 4', () => {
    expect(defaultWorkerThreads(WORKER_MIN_BYTES - 1, 16)).toBe(0);
    expect([1, 2, 3, 4, 6, 16].map((cores) => defaultWorkerThreads(100 << 20, cores))).toEqual([0, 0, 1, 2, 4, 4]);
  });
});
