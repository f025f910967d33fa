/** A recipe is reviewed and committed: it must never hold a key. These checks refuse one. */
import type { Problem } from '../errors.js';
import { locate, type PositionedDocument } from './document.js';
import { expressionsIn, mapStrings } from './expressions.js';

const KEY_PATTERNS: RegExp[] = [
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/, // OpenAI
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /\bfw_[A-Za-z0-9]{20,}/, // Fireworks
];
const SECRET_KEY_NAME = /(^|_)(api_?key|secret|token|password|passwd)$/i;
const SECRET_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD)$/i;

export function findSecrets(pd: PositionedDocument): Problem[] {
  const problems: Problem[] = [];
  mapStrings(pd.value, (text, path) => {
    const key = String(path[path.length - 1] ?? '');
    if (KEY_PATTERNS.some((re) => re.test(text))) {
      problems.push({ ...locate(pd, path), message: `${path.join('.')} holds what looks like an API key; a recipe must never contain a key`, hint: 'remove it (and rotate the key if it was committed); keys come from the environment or a .env file, e.g. OPENAI_API_KEY, named by provider.api_key_env' });
    } else if (SECRET_KEY_NAME.test(key) && !key.endsWith('_env') && text.length > 0 && expressionsIn(text).length === 0) {
      problems.push({ ...locate(pd, path), message: `${path.join('.')} looks like a secret written into the recipe`, hint: `put it in an environment variable and name the variable instead (e.g. ${key}_env: MY_VAR)` });
    }
    for (const { expression } of expressionsIn(text)) {
      if (expression.kind === 'env' && SECRET_ENV_NAME.test(expression.name)) {
        problems.push({ ...locate(pd, path), message: `${path.join('.')} interpolates \${${expression.name}}, which looks like a secret, into the recipe`, hint: 'secrets never pass through recipe values; name the variable with provider.api_key_env instead' });
      }
    }
    return text;
  });
  return problems;
}
