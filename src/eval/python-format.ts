/**
 * Python's str.format as openai/evals' format_necessary() uses it (evals/elsuite/utils.py) for
 * model-graded prompts: `{{` and `}}` are literal braces, `{name}` (optionally `!r`/`!s`) is replaced
 * by str() of the value, a lone brace is an error, and every name must be given — openai/evals asserts
 * it, ftpipe says which one is missing instead of sending the brace text. Values print as Python
 * prints them (`['a', 'b']`, `True`, `None`).
 */

export type FormatPart = { literal: string } | { field: string; conversion?: 'r' | 's' };

export class FormatError extends Error {}

/** string.Formatter().parse(), reduced to what prompts use; throws FormatError as Python raises ValueError. */
export function parseFormat(template: string): FormatPart[] {
  const parts: FormatPart[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '}') {
      if (template[i + 1] !== '}') throw new FormatError("Single '}' encountered in format string");
      literal += '}';
      i++;
      continue;
    }
    if (c !== '{') {
      literal += c;
      continue;
    }
    if (template[i + 1] === '{') {
      literal += '{';
      i++;
      continue;
    }
    const end = template.indexOf('}', i);
    if (end === -1) throw new FormatError("Single '{' encountered in format string");
    const body = template.slice(i + 1, end);
    if (body.includes('{')) throw new FormatError(`nested fields are not supported: {${body}}`);
    const [, field, conversion, spec] = /^([^!:]*)(?:!(.))?(?::(.*))?$/s.exec(body) ?? [];
    if (field === '' || field === undefined) throw new FormatError('positional fields {} are not supported: name the field, e.g. {input}');
    if (conversion !== undefined && conversion !== 'r' && conversion !== 's') throw new FormatError(`conversion !${conversion} is not supported in {${body}}`);
    if (spec) throw new FormatError(`format specs are not supported: {${body}}`);
    if (literal) parts.push({ literal });
    literal = '';
    parts.push({ field, ...(conversion ? { conversion: conversion as 'r' | 's' } : {}) });
    i = end;
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** The field names a template uses, in order of first use. */
export function fieldNames(template: string): string[] {
  return [...new Set(parseFormat(template).flatMap((p) => ('field' in p ? [p.field] : [])))];
}

/** template.format(**values); throws FormatError naming the first missing field. */
export function formatPython(template: string, values: Record<string, unknown>): string {
  return parseFormat(template)
    .map((part) => {
      if ('literal' in part) return part.literal;
      if (!Object.hasOwn(values, part.field)) throw new FormatError(`no value for {${part.field}}`);
      const value = values[part.field];
      return part.conversion === 'r' ? pythonRepr(value) : pythonStr(value);
    })
    .join('');
}

/** str(value) for JSON-like values. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** repr(value) for JSON-like values: quotes and escapes as CPython does. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char !== ' ' && /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(char)) {
      out += code < 0x100 ? `\\x${hex(code, 2)}` : code < 0x10000 ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    } else out += char;
  }
  return out + quote;
}

/** JSON numbers as Python prints them; JSON.parse cannot tell 1.0 from 1, so integral values print as ints. */
function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
