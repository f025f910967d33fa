/** The `where` filter of ingest-csv: column equals a value, is in a list, or is not (in) one. */
export type WhereCondition = string | number | Array<string | number> | { not: string | number | Array<string | number> };
export type WhereParam = Record<string, WhereCondition>;

export function compileWhere(where: WhereParam): (row: Record<string, unknown>) => boolean {
  const tests = Object.entries(where).map(([column, condition]) => {
    const negate = typeof condition === 'object' && !Array.isArray(condition);
    const raw = negate ? (condition as { not: WhereCondition }).not : condition;
    const allowed = new Set((Array.isArray(raw) ? raw : [raw]).map(String));
    return (row: Record<string, unknown>) => allowed.has(String(row[column])) !== negate;
  });
  return (row) => tests.every((test) => test(row));
}
