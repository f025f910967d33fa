/**
 * The old infer.cfg (`key = value` lines, no sections). Placeholders such as `<ft_job_id>` count as
 * unset; a key in the file is ignored with a warning, since keys belong in the environment only.
 */
import { readFile } from 'node:fs/promises';
import { FtpipeError, ExitCode } from '../errors.js';

export interface InferConfig {
  model?: string;
  ft_job_id?: string;
  max_tokens?: number;
  temperature?: number;
  sys_prompt?: string;
  user_input?: string;
}

const knownKeys = new Set(['model', 'ft_job_id', 'max_tokens', 'temperature', 'sys_prompt', 'user_input', 'openai_api_key']);

export async function readInferConfig(path: string): Promise<{ config: InferConfig; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FtpipeError(`cannot read ${path}: ${(error as Error).message}`, 'CONFIG_UNREADABLE', { exitCode: ExitCode.usage });
  }
  const config: Record<string, string | number> = {};
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    const where = `${path}:${index + 1}`;
    if (eq === -1) throw new FtpipeError(`${where}: expected "key = value"`, 'CONFIG_INVALID', { location: { file: path, line: index + 1 }, exitCode: ExitCode.usage });
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!knownKeys.has(key)) return void warnings.push(`${where}: unknown key ${key} ignored`);
    if (key === 'openai_api_key') {
      if (!isPlaceholder(value)) warnings.push(`${where}: openai_api_key is ignored: set OPENAI_API_KEY in the environment instead (and remove the key from the file)`);
      return;
    }
    if (isPlaceholder(value)) return;
    config[key] = key === 'max_tokens' || key === 'temperature' ? numberAt(value, where, key) : value;
  });
  return { config: config as InferConfig, warnings };
}

export function isPlaceholder(value: string): boolean {
  return value === '' || /^<[^<>]*>$/.test(value);
}

function numberAt(value: string, where: string, key: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new FtpipeError(`${where}: ${key} must be a number, got "${value}"`, 'CONFIG_INVALID', { exitCode: ExitCode.usage });
  return n;
}
