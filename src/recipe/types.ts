import type { ProviderConfig } from '../providers/types.js';
import type { OutputSpec, StageDefinition } from '../stage/types.js';
import type { StageRef } from './expressions.js';

/** A recipe after loading: vars and env substituted, defaults and --set applied, every stage type loaded. */
export interface Recipe {
  /** Absolute path of the recipe file. */
  file: string;
  /** Recipe path relative to the workspace root (the key of its section in ftpipe.lock). */
  name: string;
  title: string;
  root: string;
  provider: ProviderConfig;
  stages: Map<string, RecipeStage>;
  /** Set when this load ran the schema checks: `run` remembers it (under the workspace lock) so the next load skips them. */
  validationMemo?: string;
}

export interface RecipeStage {
  id: string;
  uses: string;
  /** Params as written (stage references still unresolved). */
  with: Record<string, unknown>;
  /** Stages this one depends on: referenced ones plus `needs`. */
  needs: string[];
  refs: StageRef[];
  def: StageDefinition;
  /** A local module's file and the workspace files it imports (absolute): hashed into the key. Built-ins: none. */
  codeFiles?: string[];
  /** Declared outputs: the definition's plus its dynamic ones for these params. */
  outputs: Record<string, OutputSpec>;
}
