/**
 * API keys come from the process environment, then from a `.env` file in the workspace (read,
 * never written). The returned env is only ever used to read the one variable an adapter names.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { FtpipeError, ExitCode } from '../errors.js';

/** process env first (an exported variable wins over the file), then the workspace's .env. */
export async function providerEnv(workspace: string, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  let text: string;
  try {
    text = await readFile(join(workspace, '.env'), 'utf8');
  } catch {
    return env;
  }
  return { ...parseEnv(text), ...env };
}

export function requireEnv(env: NodeJS.ProcessEnv, name: string, purpose: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  throw new FtpipeError(`${purpose} needs the environment variable ${name}, which is not set`, 'PROVIDER_KEY_MISSING', {
    hint: `export ${name}=… (or put ${name}=… in the workspace's .env file, which must not be committed)`,
    exitCode: ExitCode.usage,
  });
}
