/**
 * `${{ vars.x }}`, `${{ env.X }}` / `${X}` and `${{ stages.<id>.outputs.<name> }}` in recipe strings.
 * vars and env are replaced when the recipe loads; stage references stay until the referenced stage has run.
 */
export interface StageRef {
  stage: string;
  output: string;
}

const EXPR = /\$\{\{\s*([^}]*?)\s*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const STAGE_REF = /^stages\.([a-z][a-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)$/;

export type Expression =
  | { kind: 'var'; name: string }
  | { kind: 'env'; name: string }
  | { kind: 'stage'; ref: StageRef }
  | { kind: 'invalid'; text: string };

export function parseExpression(inner: string): Expression {
  const stage = STAGE_REF.exec(inner);
  if (stage) return { kind: 'stage', ref: { stage: stage[1], output: stage[2] } };
  const v = /^vars\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(inner);
  if (v) return { kind: 'var', name: v[1] };
  const e = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
  if (e) return { kind: 'env', name: e[1] };
  return { kind: 'invalid', text: inner };
}

/** Every expression in a string, with the text it replaces. */
export function expressionsIn(text: string): Array<{ match: string; expression: Expression }> {
  const found: Array<{ match: string; expression: Expression }> = [];
  for (const m of text.matchAll(EXPR)) {
    found.push({ match: m[0], expression: m[2] !== undefined ? { kind: 'env', name: m[2] } : parseExpression(m[1]) });
  }
  return found;
}

/**
 * Replace expressions in a string. A string that is exactly one expression takes the value's own type
 * (a number stays a number); otherwise values are joined as text.
 */
export function substitute(text: string, valueOf: (e: Expression) => unknown | undefined): unknown {
  const found = expressionsIn(text);
  if (found.length === 0) return text;
  if (found.length === 1 && found[0].match === text) {
    const value = valueOf(found[0].expression);
    return value === undefined ? text : value;
  }
  let out = text;
  for (const { match, expression } of found) {
    const value = valueOf(expression);
    if (value !== undefined) out = out.replace(match, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** Apply `fn` to every string in a plain JSON-like value, keeping the path for error messages. */
export function mapStrings(value: unknown, fn: (s: string, path: Array<string | number>) => unknown, path: Array<string | number> = []): unknown {
  if (typeof value === 'string') return fn(value, path);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, fn, [...path, i]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn, [...path, k]);
    return out;
  }
  return value;
}

export function stageRefsIn(value: unknown): StageRef[] {
  const refs: StageRef[] = [];
  mapStrings(value, (s) => {
    for (const { expression } of expressionsIn(s)) if (expression.kind === 'stage') refs.push(expression.ref);
    return s;
  });
  return refs;
}
