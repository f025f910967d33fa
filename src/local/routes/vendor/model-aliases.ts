/**
 * Vendors name models their own way (Together `user/Meta-Llama-…-suffix-abc`, Fireworks
 * `accounts/a/models/m#accounts/a/deployments/d`). The core answers chat by model id, so a vendor name
 * that can be called becomes a copy of the core's trained model under that name, and stops being
 * callable when it is removed (an endpoint or deployment torn down).
 */
import type { ServerState } from '../route-table.js';

export async function publishAlias(state: ServerState, coreModel: string, alias: string): Promise<boolean> {
  if (state.models.has(alias)) return true;
  const loaded = state.models.load(coreModel);
  if (!loaded) return false;
  await state.models.save({ ...loaded.file, id: alias });
  return true;
}

export async function withdrawAlias(state: ServerState, alias: string): Promise<void> {
  await state.models.delete(alias);
}
