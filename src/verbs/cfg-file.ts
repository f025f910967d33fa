/** The `key = value` .cfg files of the original scripts (data_process.cfg, train.cfg, infer.cfg). */
import { readFileSync } from 'node:fs';
import { FtpipeError } from '../errors.js';

export interface CfgValues {
  values: Record<string, string>;
  /** Keys dropped on purpose (secrets), with the line they were on. */
  dropped: Array<{ key: string; line: number }>;
}

const SECRET_KEYS = new Set(['openai_api_key', 'api_key', 'azure_openai_api_key']);

export function readCfg(file: string): CfgValues {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new FtpipeError(`cannot read ${file}`, 'CFG_NOT_FOUND', { hint: 'check the path', exitCode: 2 });
  }
  const values: Record<string, string> = {};
  const dropped: CfgValues['dropped'] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';') || /^\[.*\]$/.test(line)) return;
    const eq = line.indexOf('=');
    if (eq < 0) throw new FtpipeError(`${file}:${index + 1}: expected "key = value", got "${line}"`, 'CFG_SYNTAX', { location: { file, line: index + 1 }, exitCode: 2 });
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (SECRET_KEYS.has(key.toLowerCase())) dropped.push({ key, line: index + 1 });
    else if (value && !/^<[^>]*>$/.test(value)) values[key] = value; // "<ft_job_id>" is a placeholder, not a value
  });
  return { values, dropped };
}

/** "3" → 3, "2.5" → 2.5, "auto" stays a string. */
export function cfgNumber(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}
