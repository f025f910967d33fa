/**
 * Metadata filters shared by the CLI (`--where key=value`, repeatable) and the dataset stage
 * (`where: { key: value | [values] }`): keys AND together, the values of one key OR together.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import type { DatasetRecord } from './dataset-store.js';

/** key → accepted values (as strings: metadata tags are strings). */
export type MetadataWhere = Record<string, string[]>;

export function whereFromParams(where: Record<string, unknown> | undefined): MetadataWhere {
  const result: MetadataWhere = {};
  for (const [key, value] of Object.entries(where ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    result[key] = values.map((v) => String(v));
  }
  return result;
}

export function whereFromFlags(flags: string[]): MetadataWhere {
  const result: MetadataWhere = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new FtpipeError(`--where ${JSON.stringify(flag)} is not key=value`, 'WHERE_INVALID', { hint: 'e.g. --where source=prod (repeat --where to add filters)', exitCode: ExitCode.usage });
    }
    (result[flag.slice(0, eq)] ??= []).push(flag.slice(eq + 1));
  }
  return result;
}

export function metadataFilter(where: MetadataWhere): ((record: DatasetRecord) => boolean) | undefined {
  const entries = Object.entries(where);
  if (entries.length === 0) return undefined;
  return (record) => entries.every(([key, values]) => {
    const value = record.metadata?.[key];
    return value !== undefined && values.includes(String(value));
  });
}
