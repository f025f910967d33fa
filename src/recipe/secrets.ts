/**
 * A recipe is reviewed and committed: it must never hold a key. These checks refuse one — as written,
 * in each `--set` value, and in the final params of every stage (after vars, env, defaults and --set),
 * where a key can arrive through `${{ env.X }}` of an innocently named variable.
 */
import type { Problem } from '../errors.js';
import { knownSecretValues } from '../secrets/known-secrets.js';
import { looksLikeKey } from '../secrets/secret-shapes.js';
import { locate, type PositionedDocument } from './document.js';
import { expressionsIn, mapStrings } from './expressions.js';

const SECRET_KEY_NAME = /(^|_)(api_?key|secret|token|password|passwd)$/i;
const SECRET_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD)$/i;
const KEY_HINT = 'remove it (and rotate the key if it was committed); keys come from the environment or a .env file, e.g. OPENAI_API_KEY, named by provider.api_key_env';

type Where = (path: Array<string | number>) => Omit<Problem, 'message'>;

/** Secrets in the document as written. */
export function findSecrets(pd: PositionedDocument): Problem[] {
  return secretsIn(pd.value, (path) => locate(pd, path));
}

/** Secrets in one `--set STAGE.PARAM=VALUE` value. */
export function findSecretsInOverride(assignment: string, path: Array<string | number>, value: unknown): Problem[] {
  const shown = assignment.split('=')[0];
  return secretsIn(value, () => ({ file: '--set', path: shown }), path).map((p) => ({ ...p, message: `--set ${shown}: ${p.message}` }));
}

/** Known key values and key-shaped strings in final values, unless already reported at that path. */
export function findResolvedSecrets(value: unknown, root: Array<string | number>, where: Where, reported: Problem[]): Problem[] {
  const seen = new Set(reported.map((p) => p.path));
  const secrets = knownSecretValues();
  const problems: Problem[] = [];
  mapStrings(value, (text, path) => {
    const name = path.join('.');
    if (seen.has(name)) return text;
    const known = secrets.find(([secret]) => text.includes(secret));
    if (known) problems.push({ ...where(path), path: name, message: `${name} contains the value of ${known[1]} (through vars, env or --set); a recipe must never contain a key`, hint: KEY_HINT });
    else if (looksLikeKey(text)) problems.push({ ...where(path), path: name, message: `${name} holds what looks like an API key (through vars, env or --set); a recipe must never contain a key`, hint: KEY_HINT });
    return text;
  }, root);
  return problems;
}

function secretsIn(value: unknown, where: Where, root: Array<string | number> = []): Problem[] {
  const problems: Problem[] = [];
  mapStrings(value, (text, path) => {
    const key = String(path[path.length - 1] ?? '');
    const name = path.join('.');
    if (looksLikeKey(text)) {
      problems.push({ ...where(path), path: name, message: `${name} holds what looks like an API key; a recipe must never contain a key`, hint: KEY_HINT });
    } else if (SECRET_KEY_NAME.test(key) && !key.endsWith('_env') && text.length > 0 && expressionsIn(text).length === 0) {
      problems.push({ ...where(path), path: name, message: `${name} looks like a secret written into the recipe`, hint: `put it in an environment variable and name the variable instead (e.g. ${key}_env: MY_VAR)` });
    }
    for (const { expression } of expressionsIn(text)) {
      if (expression.kind === 'env' && SECRET_ENV_NAME.test(expression.name)) {
        problems.push({ ...where(path), path: name, message: `${name} interpolates \${${expression.name}}, which looks like a secret, into the recipe`, hint: 'secrets never pass through recipe values; name the variable with provider.api_key_env instead' });
      }
    }
    return text;
  }, root);
  return problems;
}
