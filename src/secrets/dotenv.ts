/** The workspace's `.env` (read, never written): API keys and the values `${{ env.X }}` reads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export function readDotEnv(root: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(join(root, '.env'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The process environment first (an exported variable wins over the file), then the workspace's .env. */
export function withDotEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...readDotEnv(root), ...env };
}
