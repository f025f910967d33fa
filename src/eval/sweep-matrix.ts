/**
 * A sweep matrix (`{temperature: [0, 0.7], top_p: [1, 0.9]}`) expanded into cells, the cartesian
 * product in a fixed key order so cell names and their order never depend on how the YAML was written.
 */
import { FtpipeError } from '../errors.js';
import type { JsonValue } from '../stage/types.js';

export type Cell = Record<string, JsonValue>;

export function expandMatrix(matrix: Record<string, unknown> | undefined, allowed: string[], where: string): Cell[] {
  if (!matrix || Object.keys(matrix).length === 0) return [{}];
  const keys = Object.keys(matrix).sort();
  for (const key of keys) {
    if (!allowed.includes(key)) throw new FtpipeError(`${where}: "${key}" cannot be swept`, 'PARAM_INVALID', { hint: `sweep over: ${allowed.join(', ')}` });
    const values = matrix[key];
    if (!Array.isArray(values) || values.length === 0) throw new FtpipeError(`${where}.${key} must be a non-empty list of values`, 'PARAM_INVALID', { hint: `${key}: [0, 0.5, 1]` });
  }
  let cells: Cell[] = [{}];
  for (const key of keys) cells = cells.flatMap((cell) => (matrix[key] as JsonValue[]).map((value) => ({ ...cell, [key]: value })));
  return cells;
}

/** "n_epochs=3,learning_rate_multiplier=0.5" (keys sorted), or "default" for the empty cell. */
export function cellName(cell: Cell): string {
  const keys = Object.keys(cell).sort();
  return keys.length === 0 ? 'default' : keys.map((k) => `${k}=${JSON.stringify(cell[k])}`).join(',');
}
