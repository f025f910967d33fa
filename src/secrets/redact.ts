/**
 * The one choke point for secrets in text: every known key value (known-secrets.ts) and every string
 * shaped like an API key is replaced before anything is printed (stdout/stderr, --json events), stored
 * (run records, run-cache, stage state, logs, reports) or served (the studio's API).
 */
import { addWorkspaceSecrets, knownSecretValues } from './known-secrets.js';
import { KEY_PATTERNS_GLOBAL } from './secret-shapes.js';

export function redactSecrets(text: string): string {
  let out = text;
  for (const [value, name] of knownSecretValues()) {
    if (out.includes(value)) out = out.split(value).join(`[redacted:${name}]`);
    const escaped = JSON.stringify(value).slice(1, -1); // as it appears inside JSON text
    if (escaped !== value && out.includes(escaped)) out = out.split(escaped).join(`[redacted:${name}]`);
  }
  for (const re of KEY_PATTERNS_GLOBAL) out = out.replace(re, '[redacted]');
  return out;
}

/** Every string inside a plain JSON-like value, redacted; the value itself is not modified. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}

/** The names of the known secrets whose value occurs in `text` (to say what was removed). */
export function secretsIn(text: string): string[] {
  return knownSecretValues().filter(([value]) => text.includes(value)).map(([, name]) => name);
}

/** For servers answering about a workspace (the studio's API): its .env values count as known secrets too. */
export function redactForWorkspace<T>(root: string, value: T): T {
  addWorkspaceSecrets(root);
  return redactDeep(value);
}
