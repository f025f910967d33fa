/** /v1/models entries → ModelInfo; shutdown_date arrives as unix seconds or an ISO date depending on the server. */
import type { ModelInfo } from './types.js';

export interface RawModel {
  id: string;
  owned_by?: string;
  shutdown_date?: number | string | null;
}

export function toModelInfo(raw: RawModel): ModelInfo {
  const info: ModelInfo = { id: raw.id };
  if (raw.owned_by) info.ownedBy = raw.owned_by;
  const date = isoDate(raw.shutdown_date);
  if (date) info.shutdownDate = date;
  return info;
}

function isoDate(value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const time = typeof value === 'number' ? value * 1000 : Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : undefined;
}
