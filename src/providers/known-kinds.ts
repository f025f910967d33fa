import { adapterFactories } from './registry.js';

/** The kinds createProvider accepts (for CLI choices and recipe validation). */
export function knownProviderKinds(): string[] {
  return Object.keys(adapterFactories);
}
