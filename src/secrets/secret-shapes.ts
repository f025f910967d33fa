/** What a secret looks like: variable names that hold one, and the shapes of well-known API keys. */

/** OPENAI_API_KEY, HF_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASSWORD, … (a name ending in a secret word). */
const SECRET_NAME = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Key formats of the providers and platforms users keep keys for (prefix + enough random characters). */
export const KEY_PATTERNS: RegExp[] = [
  /\bsk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}/, // OpenAI, Anthropic
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /\bfw_[A-Za-z0-9]{20,}/, // Fireworks
  /\bhf_[A-Za-z0-9]{30,}/, // Hugging Face
];

export function looksLikeKey(text: string): boolean {
  return KEY_PATTERNS.some((re) => re.test(text));
}

/** The same patterns, global, for replacing every occurrence. */
export const KEY_PATTERNS_GLOBAL: RegExp[] = KEY_PATTERNS.map((re) => new RegExp(re.source, 'g'));
