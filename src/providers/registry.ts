/**
 * The only list of provider kinds: one line per adapter file. Adding a provider (together, fireworks,
 * a self-hosted TRL trainer) is one file exporting a ProviderAdapter as its default and one line here;
 * the recipe schema, `--provider` choices, stage keys and docs follow.
 */
import type { ProviderAdapter } from './adapter.js';

type AdapterModule = () => Promise<{ default: ProviderAdapter }>;

export const providerAdapters = {
  local: () => import('./local.js'),
  openai: () => import('./openai.js'),
  azure: () => import('./azure.js'),
  'openai-compatible': () => import('./openai-compatible.js'),
  together: () => import('./together.js'),
  fireworks: () => import('./fireworks.js'),
  trl: () => import('./trl.js'),
} satisfies Record<string, AdapterModule>;

export type ProviderKind = keyof typeof providerAdapters;

export const providerKinds = Object.keys(providerAdapters) as ProviderKind[];

export function isProviderKind(kind: string): kind is ProviderKind {
  return Object.hasOwn(providerAdapters, kind);
}

/** The adapter of a kind, or undefined for an unknown one (no prefix matching). */
export async function loadAdapter(kind: string): Promise<ProviderAdapter | undefined> {
  return isProviderKind(kind) ? (await providerAdapters[kind]()).default : undefined;
}

export async function loadAllAdapters(): Promise<ProviderAdapter[]> {
  return Promise.all(providerKinds.map(async (kind) => (await providerAdapters[kind]()).default));
}
