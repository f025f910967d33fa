/**
 * A CSV cell holding JSON. The original notebook's cells wrap a JSON object in `["…"]` with escaped
 * quotes (a one-element list holding the object's JSON text); that wrapping is undone.
 */
export function parseJsonCell(cell: string): { value: unknown; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(cell);
  } catch (error) {
    return { value: cell, error: `cell is not JSON (${(error as Error).message})` };
  }
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') {
    const inner = value[0].trim();
    if (inner.startsWith('{') || inner.startsWith('[')) {
      try {
        return { value: JSON.parse(inner) };
      } catch (error) {
        return { value: cell, error: `the JSON text inside ["…"] does not parse (${(error as Error).message})` };
      }
    }
  }
  return { value };
}
