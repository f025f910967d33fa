/** The StageContext the engine hands a stage: its params, where to write, logging, progress, durable state. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Provider } from '../providers/types.js';
import type { JsonValue, OutputSpec, StageContext } from '../stage/types.js';
import { writeFileAtomic } from '../store/atomic.js';
import { redactDeep } from '../secrets/redact.js';
import type { RunEvent } from './events.js';
import { outputFileName } from './output-paths.js';
import type { Workspace } from './workspace.js';

export interface ContextInput {
  id: string;
  key: string;
  outputs: Record<string, OutputSpec>;
  params: Record<string, unknown>;
  ws: Workspace;
  outDir: string;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  provider: () => Promise<Provider>;
  forced?: StageContext['forced'];
  /** Marks the producer of a param's upstream value stale (pipeline.ts knows which stage that is). */
  invalidateInput?: (param: string, reason: string) => Promise<void>;
}

export function createStageContext(input: ContextInput): StageContext<any> {
  const { id, key, outputs, ws, emit } = input;
  const stateFile = join(ws.stateDir, `${key}.json`);
  const state: Record<string, JsonValue> = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
  let lastProgress = 0;
  return {
    id,
    key,
    params: input.params,
    workspace: ws.root,
    signal: input.signal,
    output(name) {
      const spec = outputs[name];
      if (!spec || spec.kind === 'value') throw new Error(`stage ${id} declares no file output "${name}" (this is a bug in the stage)`);
      return join(input.outDir, outputFileName(name, spec));
    },
    cacheDir(name) {
      const dir = join(ws.cacheDir, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    log: {
      debug: (message) => emit({ type: 'stage:log', id, level: 'debug', message }),
      info: (message) => emit({ type: 'stage:log', id, level: 'info', message }),
      warn: (message) => emit({ type: 'stage:log', id, level: 'warn', message }),
    },
    progress: {
      update(progress) {
        const now = Date.now();
        if (now - lastProgress < 100 && progress.done !== progress.total) return;
        lastProgress = now;
        emit({ type: 'stage:progress', id, ...progress });
      },
    },
    state: {
      get: (k) => state[k] as any,
      async set(k, v) {
        state[k] = v;
        await writeFileAtomic(stateFile, JSON.stringify(redactDeep(state)));
      },
    },
    provider: input.provider,
    forced: input.forced,
    invalidateInput: (param, reason) => input.invalidateInput?.(param, reason) ?? Promise.resolve(),
  };
}
