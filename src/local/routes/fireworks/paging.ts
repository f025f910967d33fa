/** Fireworks' list paging: pageSize (default 50, at most 200) and an opaque pageToken (here: the offset). */
import { invalidArgument } from './fireworks-errors.js';

export function page<T>(items: T[], url: URL): { items: T[]; nextPageToken: string } {
  const size = Math.min(200, Number(url.searchParams.get('pageSize') ?? 50) || 50);
  const token = url.searchParams.get('pageToken') ?? '';
  const start = token === '' ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0) throw invalidArgument(`invalid pageToken ${JSON.stringify(token)}`);
  const end = start + size;
  return { items: items.slice(start, end), nextPageToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : '' };
}
