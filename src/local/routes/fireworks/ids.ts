/** Fireworks resource ids: lowercase letters, digits and hyphens, at most 63 characters. */
import { invalidArgument } from './fireworks-errors.js';

const pattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkResourceId(id: unknown, what: string): string {
  if (typeof id !== 'string' || !pattern.test(id)) throw invalidArgument(`invalid ${what} id ${JSON.stringify(id)}: use 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`);
  return id;
}
