/**
 * The environment a user's command (exec) runs with: ftpipe's own, without secrets (variables with a
 * secret's name or a known key value) unless the recipe names them in `pass_env`, which may also come
 * from the workspace's .env.
 */
import { withDotEnv } from './dotenv.js';
import { isSecretVariable, knownSecretValues } from './known-secrets.js';

export function commandEnvironment(workspace: string, passEnv: string[]): Record<string, string> {
  const secretValues = new Set(knownSecretValues().map(([value]) => value));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || isSecretVariable(name) || secretValues.has(value.trim())) continue;
    out[name] = value;
  }
  const available = withDotEnv(workspace, process.env);
  for (const name of passEnv) if (available[name] !== undefined) out[name] = available[name]!;
  return out;
}
