/** A minimal StageContext for running stage definitions outside the engine in the benchmark. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext, StageDefinition } from '../src/stage/types.js';

export function benchContext<P>(def: StageDefinition<P>, params: P, dir: string): StageContext<P> {
  mkdirSync(join(dir, def.type), { recursive: true });
  return {
    id: def.type,
    key: 'bench',
    params,
    workspace: dir,
    output: (name) => join(dir, def.type, name + (def.outputs[name]?.ext ?? '')),
    cacheDir: (name) => join(dir, 'cache', name),
    log: { debug: () => {}, info: () => {}, warn: (m) => console.warn(m) },
    progress: { update: () => {} },
    state: { get: () => undefined, set: async () => {} },
    signal: new AbortController().signal,
    provider: () => Promise.reject(new Error('no provider in the benchmark')),
    invalidateInput: async () => {},
  };
}
