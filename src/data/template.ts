/**
 * Message templates for CSV rows: "Log line: {Content}" fills {Column} from the row; {Column.key}
 * reads a key of a JSON cell; "{{" and "}}" are literal braces.
 */
import { FtpipeError } from '../errors.js';

type Part = string | { column: string; path: string[] };

export interface Template {
  source: string;
  parts: Part[];
  /** Column names the template reads. */
  columns: string[];
}

export function compileTemplate(source: string, param: string): Template {
  const parts: Part[] = [];
  const re = /\{\{|\}\}|\{([^{}]+)\}/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(source)) !== null) {
    if (match.index > last) parts.push(source.slice(last, match.index));
    if (match[0] === '{{' || match[0] === '}}') parts.push(match[0][0]);
    else {
      const [column, ...path] = match[1].trim().split('.');
      parts.push({ column, path });
    }
    last = re.lastIndex;
  }
  if (last < source.length) parts.push(source.slice(last));
  const stray = parts.find((p) => typeof p === 'string' && /[{}]/.test(p) && p.length > 1);
  if (stray !== undefined) throw new FtpipeError(`template ${param} has an unmatched brace: ${JSON.stringify(source)}`, 'PARAM_INVALID', { hint: 'write {Column} for a value and {{ or }} for a literal brace' });
  const columns = [...new Set(parts.filter((p): p is { column: string; path: string[] } => typeof p !== 'string').map((p) => p.column))];
  return { source, parts, columns };
}

export type RowValues = Record<string, unknown>;

/** Fills the template; a missing JSON key is an Error naming it (the caller reports the row). */
export function renderTemplate(template: Template, row: RowValues): string {
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    let value: unknown = row[part.column];
    for (const key of part.path) {
      if (value === null || typeof value !== 'object' || !(key in value)) throw new Error(`{${[part.column, ...part.path].join('.')}}: cell has no key "${key}"`);
      value = (value as Record<string, unknown>)[key];
    }
    out += typeof value === 'string' ? value : JSON.stringify(value ?? '');
  }
  return out;
}
