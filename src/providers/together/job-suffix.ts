/**
 * Together takes no client-chosen job id and no metadata, so the stage key rides in the job's suffix
 * (at most 64 characters): `<your suffix>-ftp<24 hex of the key>`. Finding a job after a lost create
 * response means listing jobs and matching that tag. Residual risk (docs/providers.md): a job that
 * Together has accepted but does not list yet is not found, so a retry in that window could create a
 * second one; and anyone who reuses the tag in the same account is taken for the same work.
 */
import { createHash } from 'node:crypto';

export const SUFFIX_LIMIT = 64;
const TAG_HEX = 24;

/** 24 hex digits (96 bits) of a hash of the key: short enough to leave room for the user's suffix. */
export function keyTag(idempotencyKey: string): string {
  return `ftp${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, TAG_HEX)}`;
}

/** The suffix sent to Together: the user's suffix (cleaned, shortened to fit) and the key tag. */
export function suffixFor(userSuffix: string | undefined, idempotencyKey: string): string {
  const tag = keyTag(idempotencyKey);
  const clean = (userSuffix ?? '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const room = SUFFIX_LIMIT - tag.length - 1;
  return clean ? `${clean.slice(0, room).replace(/-+$/, '')}-${tag}` : tag;
}

export function hasTag(suffix: string | undefined | null, idempotencyKey: string): boolean {
  return typeof suffix === 'string' && (suffix === keyTag(idempotencyKey) || suffix.endsWith(`-${keyTag(idempotencyKey)}`));
}
