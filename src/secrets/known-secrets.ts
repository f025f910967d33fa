/**
 * The secret values this process knows: variables with a secret's name (and those a provider reads its
 * key from) in the environment and in the .env of each workspace it opened, plus tokens it made itself.
 * Process-wide on purpose: they are facts about this process, and every place that prints, stores or
 * serves text must see all of them (see redact.ts).
 */
import { readDotEnv } from './dotenv.js';
import { isSecretName } from './secret-shapes.js';

/** Shorter values ("1", "true") are not secrets worth hiding and would mangle ordinary text. */
const MIN_SECRET_LENGTH = 8;

const byValue = new Map<string, string>();
let sorted: Array<[string, string]> | undefined;
const extraNames = new Set<string>();
const seenEnvs = new WeakSet<object>();
const seenRoots = new Set<string>();

export function isSecretVariable(name: string): boolean {
  return extraNames.has(name) || isSecretName(name);
}

/** Names that hold a key although their name may not say so (provider.api_key_env, an adapter's keyEnv). */
export function addSecretNames(names: Iterable<string | undefined>, env: NodeJS.ProcessEnv = process.env): void {
  for (const name of names) if (name) extraNames.add(name);
  addSecretsFromEnv(env, { again: true });
}

export function addSecretsFromEnv(env: NodeJS.ProcessEnv, options: { again?: boolean } = {}): void {
  if (seenEnvs.has(env) && !options.again) return;
  seenEnvs.add(env);
  for (const [name, value] of Object.entries(env)) if (value && isSecretVariable(name)) addSecretValue(value, name);
}

/** The workspace's .env values with a secret's name (read once per root). */
export function addWorkspaceSecrets(root: string): void {
  if (seenRoots.has(root)) return;
  seenRoots.add(root);
  addSecretsFromEnv(readDotEnv(root));
}

export function addSecretValue(value: string, name: string): void {
  const trimmed = value.trim();
  if (trimmed.length < MIN_SECRET_LENGTH || byValue.has(trimmed)) return;
  if (/^[~/.]/.test(trimmed) || /\s/.test(trimmed)) return; // SSH_KEY=/home/me/.ssh/id_ed25519 names a file; keys have neither
  byValue.set(trimmed, name);
  sorted = undefined;
}

/** value → the variable it came from, longest first (so a key containing another is replaced whole). */
export function knownSecretValues(): Array<[value: string, name: string]> {
  addSecretsFromEnv(process.env);
  return (sorted ??= [...byValue].sort((a, b) => b[0].length - a[0].length));
}
