/**
 * The stage contract. A stage type is a plain object (see defineStage); the engine gives each run a
 * StageContext and never looks inside. Built-in stages in stages/ are written exactly like a user's
 * own stage module (`uses: ./stages-local/my-stage.js`).
 */
import type { Provider } from '../providers/types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface OutputSpec {
  /** file: one file the stage writes at ctx.output(name); dir: a directory; value: a JSON value returned by run(). */
  kind: 'file' | 'dir' | 'value';
  description?: string;
  /** File extension used when the artifact is materialised for people (".jsonl", ".json", ".md", ".csv"). */
  ext?: string;
  /** An optional output may be absent after a successful run. */
  optional?: boolean;
  /**
   * A value output that is the remote copy of the file in this input param (upload's file_id stands for
   * its `input`): lets `plan` and the spend guard find the data behind a file id.
   */
  standsFor?: string;
}

/**
 * Something a run of a stage pays the provider for (StageDefinition.paidActions). Fields hold params as
 * written in the recipe: plain values or `${{ stages.… }}` references, resolved by the spend guard.
 */
export type PaidAction =
  | {
      kind: 'training';
      model: unknown;
      /** The training data: a file path, a file output reference, or a file id whose upload stage's `input` is the file. */
      trainingFile: unknown;
      validationFile?: unknown;
      n_epochs?: unknown;
      hyperparameters?: Record<string, unknown>;
      method?: 'supervised' | 'dpo';
      /** Names the job among several of one stage (a sweep cell). */
      label?: string;
      /** Skip the provider's known minimum number of examples (the provider may still refuse). */
      allowFewExamples?: boolean;
    }
  /** The stage calls this model; where the provider serves fine-tuned models only through a deployment, it deploys it (hosting is billed). */
  | {
      kind: 'model-calls';
      model: unknown;
      /** The model is one this same stage fine-tunes (a sweep cell's), named only once trained. */
      trainedHere?: boolean;
      label?: string;
    };

export interface StageDefinition<P = Record<string, any>> {
  /** The `uses:` name, e.g. "clean". */
  type: string;
  /** Implementation version: bump it when the stage's behaviour changes, so cached results are redone. */
  version: number;
  description: string;
  /**
   * Names of params that hold input paths (a string or an array of strings): repository files
   * (relative to the recipe) or references to other stages' file outputs. The engine hashes them into
   * the stage key and hands the stage absolute paths in ctx.params.
   */
  inputs?: string[];
  outputs: Record<string, OutputSpec>;
  /** Outputs that depend on the params as written (e.g. the exec stage's `outs`), added to `outputs`. */
  dynamicOutputs?: (params: Record<string, unknown>) => Record<string, OutputSpec>;
  /**
   * Files the stage reads that no param names directly (e.g. a dataset read by name): hashed into the
   * key like input params. Paths relative to the workspace root; missing files are skipped.
   */
  implicitInputs?: (params: Record<string, unknown>, workspace: string) => string[];
  /**
   * File outputs the stage (its command) writes at workspace paths as well (exec's `outs`): name → path
   * relative to the root, a trailing "/" for a folder. The engine tracks them like DVC outs: status says
   * modified or missing, they are restored from the store, only what the stage produced before is removed
   * before it runs, and a failed or interrupted run leaves no partial one.
   */
  workspaceOutputs?: (params: Record<string, unknown>) => Record<string, string>;
  /**
   * Checks of params that need more than the schema (outs confined to the workspace, the fields a
   * model-graded spec needs), run by `ftpipe lint` and whenever a recipe loads; not memoised, since they
   * look at files. Params are as written: paths relative to the workspace root, `${{ }}` references
   * unresolved (skip those). Each problem is reported at its param's line in the recipe.
   */
  checkParams?: (params: Record<string, unknown>, context: { workspace: string }) => ParamProblem[] | Promise<ParamProblem[]>;
  /** The stage talks to the provider (its identity becomes part of the key; ctx.provider() works). */
  usesProvider?: boolean;
  /** The stage spends money on the provider (shown in the spend-aware plan, guarded by --max-cost). */
  paid?: boolean;
  /** Params JSON Schema for stages loaded from a module; built-ins use schemas/stages/<type>.schema.json. */
  schema?: Record<string, unknown>;
  /**
   * What a run pays for, from the params as written (training jobs, the models it calls): `plan` prices each
   * action with the provider's pricing and `--max-cost` guards them. A `paid` stage without it is listed
   * as "pays per request".
   */
  paidActions?: (params: Record<string, unknown>) => PaidAction[];
  /** Params that never enter the stage key (e.g. poll intervals, concurrency). */
  volatileParams?: string[];
  /**
   * A param that, when the recipe does not set it, takes the recipe's provider kind (after `--provider`):
   * a stage whose results depend on the provider (validate's cost) reruns when the recipe retargets.
   */
  providerParam?: string;
  run(ctx: StageContext<P>): Promise<StageResult | void>;
}

export interface ParamProblem {
  /** Where in `with:`, e.g. ['outs', 'model']. */
  param: Array<string | number>;
  message: string;
  hint?: string;
}

export interface StageResult {
  /** Values for outputs of kind "value" (file ids, job ids, model names, scores). */
  values?: Record<string, JsonValue>;
  /** One line shown to the user when the stage finishes, e.g. "1,204 examples, 3 dropped". */
  summary?: string;
  /**
   * What this run reused instead of redoing, e.g. "adopted job ftjob-…" or "124 of 124 answers from the
   * response cache": the run's closing line names it, so `--force` never claims work it did not do.
   */
  reused?: string;
}

export interface Progress {
  /** Sub-progress of the stage: rows processed, job status. Cheap to call often (throttled). */
  update(progress: { done?: number; total?: number; message?: string }): void;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Small durable key/value state for one stage key: remote ids are written here the moment they exist. */
export interface StageState {
  get<T extends JsonValue = JsonValue>(key: string): T | undefined;
  /** Written atomically to disk before it resolves. */
  set(key: string, value: JsonValue): Promise<void>;
}

export interface StageContext<P = Record<string, any>> {
  /** Stage id in the recipe (e.g. "clean"). */
  readonly id: string;
  /** The stage key (sha256 hex). Remote stages tag their jobs with it so a rerun can adopt them. */
  readonly key: string;
  /** Resolved params: references replaced by values, input params by absolute paths. */
  readonly params: P;
  /** Workspace root (the directory holding ftpipe.lock and .ftpipe/); relative paths in recipes resolve against it. */
  readonly workspace: string;
  /** Absolute path where the stage must write file output `name` (inside a temp dir; the engine publishes it). */
  output(name: string): string;
  /** Shared cache directory for this stage type (e.g. the eval response cache); survives runs. */
  cacheDir(name: string): string;
  readonly log: Logger;
  readonly progress: Progress;
  readonly state: StageState;
  readonly signal: AbortSignal;
  /** The recipe's provider (started on demand for `local`). Only for stages with usesProvider. */
  provider(): Promise<Provider>;
  /**
   * Set when the stage runs because of `--force`: `previous` holds the value outputs this same key
   * recorded before (ftpipe.lock, else the run-cache), if any. A remote stage then makes a new remote
   * object (a new training job) instead of adopting the recorded one.
   */
  readonly forced?: { previous?: Record<string, JsonValue> };
  /**
   * The value or file in input param `param` came from an upstream stage and turned out unusable (the job a
   * job id names failed): that stage's cached result is marked stale, so the next run redoes it instead of
   * skipping or restoring it. Call it, then throw. A no-op for params that reference no stage.
   */
  invalidateInput(param: string, reason: string): Promise<void>;
}

/** Identity function that only adds types (like Vite's defineConfig). */
export function defineStage<P = Record<string, any>>(definition: StageDefinition<P>): StageDefinition<P> {
  return definition;
}
