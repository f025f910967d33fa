/**
 * A provider kind is one adapter file: its factory, the JSON Schema of its `provider:` block and the
 * block fields that say where results live. The registry (registry.ts) is the only list of kinds; the
 * recipe schema, the CLI's --provider choices and the docs derive from it.
 */
import type { Provider, ProviderConfig } from './types.js';

export type AdapterFactory = (config: ProviderConfig, options: { workspace: string; env: NodeJS.ProcessEnv }) => Promise<Provider>;

/** A JSON Schema (draft 2020-12) fragment; plain data. */
export type JsonSchema = Record<string, unknown>;

export interface ProviderAdapter {
  kind: string;
  /** One line for docs, `--help` and the recipe schema. */
  description: string;
  /** The variable holding the key by default (api_key_env overrides it), if the kind needs one. */
  keyEnv?: string;
  /** The block's fields besides `kind`, each with a description (editor completion). */
  block: { properties: Record<string, JsonSchema>; required?: string[] };
  /** Block fields that name where remote results live: they enter the key of every stage that uses the provider. */
  identityFields: readonly string[];
  /** Extra identity known only on this machine (the local provider's instance id). Called under the workspace lock. */
  /** `create: false` (status, plan, --check): read what exists, write nothing. */
  identifyInWorkspace?: (config: ProviderConfig, workspace: string, options?: { create?: boolean }) => Record<string, string>;
  /**
   * How training is priced, for `plan` and `--max-cost`: free (local, trl: $0, no "paid" lines), catalog
   * (ftpipe's price table, src/models/catalog.ts), provider (the provider's own estimate through
   * Provider.estimateJobCost, e.g. Together's price-estimate endpoint), or unknown (compatible servers).
   */
  pricing: 'free' | 'catalog' | 'provider' | 'unknown';
  /** Limits known before anything is uploaded (a job the provider would reject fails before paying). */
  limits?: { minTrainingExamples?: number; maxTrainingFileBytes?: number };
  /** Builds the provider; heavy modules (SDKs, servers) are imported here, not at the top of the file. */
  create: AdapterFactory;
  /**
   * Optional, for `ftpipe plan`: where a training job would run and roughly how long it would take, judged from
   * the block and this machine without starting anything (self-hosted kinds such as trl implement it).
   */
  describeTraining?: (config: ProviderConfig, options: { workspace: string; env: NodeJS.ProcessEnv; tokens?: number; model?: string; signal?: AbortSignal }) => Promise<TrainingOutlook>;
}

export interface TrainingOutlook {
  /** Where training would run, e.g. "cpu (2 cores)" or "2 × NVIDIA H100 80GB HBM3". */
  device?: string;
  /** Rough wall time of the job in seconds, where it can be told. */
  estimatedSeconds?: number;
  /** How the estimate was made, e.g. "from job ftjob-trl-… at 450 tokens/s". */
  basis?: string;
}

/** Identity function that only adds types (like Vite's defineConfig). */
export function defineProviderAdapter(adapter: ProviderAdapter): ProviderAdapter {
  return adapter;
}

/** Fields many kinds share, so each adapter's block reads the same way. */
export const commonBlockFields = {
  api_key_env: {
    type: 'string',
    pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
    description: 'Name of the environment variable (or .env entry) holding the API key. Never the key itself.',
  },
  base_url: { type: 'string', description: 'API base URL.' },
} as const satisfies Record<string, JsonSchema>;

/**
 * {kind} plus the identity fields the block sets: plain strings, never a key. Numbers, booleans and lists (a
 * self-hosted trainer's lora_r, packing, target_modules) enter as their JSON text, so changing one reruns.
 */
export function identityFrom(adapter: Pick<ProviderAdapter, 'identityFields'>, config: ProviderConfig): Record<string, string> {
  const identity: Record<string, string> = { kind: config.kind };
  for (const field of adapter.identityFields) {
    const value = config[field];
    if (typeof value === 'string' && value) identity[field] = value;
    else if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value)) identity[field] = JSON.stringify(value);
  }
  return identity;
}
