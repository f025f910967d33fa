/**
 * Runs one stage definition outside the engine, for stage unit tests: real files in a temp dir,
 * a real StageContext, no mocks. E2E tests run the real CLI instead.
 */
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, isAbsolute, resolve } from 'node:path';
import type { StageDefinition, StageResult, JsonValue, StageContext } from '../../src/stage/types.js';
import type { Provider } from '../../src/providers/types.js';

export interface StandaloneRun {
  result: StageResult | void;
  /** Params whose producers the stage marked stale (ctx.invalidateInput). */
  invalidated: Array<{ param: string; reason: string }>;
  /** Absolute paths of the file/dir outputs that exist after the run. */
  outputs: Record<string, string>;
  logs: Array<{ level: string; message: string }>;
  workdir: string;
}

export async function runStage(
  def: StageDefinition<any>,
  options: { params: Record<string, any>; workspace?: string; provider?: Provider; key?: string; signal?: AbortSignal; state?: Record<string, JsonValue>; forced?: StageContext['forced'] },
): Promise<StandaloneRun> {
  const workdir = mkdtempSync(join(tmpdir(), `ftpipe-stage-${def.type}-`));
  const workspace = options.workspace ?? workdir;
  const outDir = join(workdir, 'out');
  mkdirSync(outDir, { recursive: true });
  const params: Record<string, any> = { ...options.params };
  for (const name of def.inputs ?? []) {
    const value = params[name];
    const abs = (p: string) => (isAbsolute(p) ? p : resolve(workspace, p));
    if (typeof value === 'string') params[name] = abs(value);
    else if (Array.isArray(value)) params[name] = value.map((v) => (typeof v === 'string' ? abs(v) : v));
  }
  const logs: StandaloneRun['logs'] = [];
  const invalidated: StandaloneRun['invalidated'] = [];
  const state = { ...(options.state ?? {}) };
  const ctx: StageContext<any> = {
    id: def.type,
    key: options.key ?? 'test-key',
    params,
    workspace,
    output: (name) => {
      const spec = def.outputs[name];
      if (!spec || spec.kind === 'value') throw new Error(`stage ${def.type} has no file output "${name}"`);
      return join(outDir, name + (spec.ext ?? ''));
    },
    cacheDir: (name) => {
      const dir = join(workdir, 'cache', name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    log: {
      debug: (m) => logs.push({ level: 'debug', message: m }),
      info: (m) => logs.push({ level: 'info', message: m }),
      warn: (m) => logs.push({ level: 'warn', message: m }),
    },
    progress: { update: () => {} },
    state: {
      get: (k) => state[k] as any,
      set: async (k, v) => {
        state[k] = v;
      },
    },
    signal: options.signal ?? new AbortController().signal,
    provider: async () => {
      if (!options.provider) throw new Error('no provider given to runStage()');
      return options.provider;
    },
    forced: options.forced,
    invalidateInput: async (param, reason) => {
      invalidated.push({ param, reason });
    },
  };
  const result = await def.run(ctx);
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(def.outputs)) {
    if (spec.kind === 'value') continue;
    const p = join(outDir, name + (spec.ext ?? ''));
    if (existsSync(p)) outputs[name] = p;
  }
  return { result, outputs, logs, invalidated, workdir };
}
