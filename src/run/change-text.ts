/**
 * How a changed value reads in a reason (`param cmd A→B`): short values whole; long ones cut around the
 * part that differs, the same window on both sides, so the two never look alike (`…error one and…→…error two and…`).
 */
const WHOLE = 40;
const CONTEXT = 16;
const MAX_DIFF = 48;

export function describeChange(before: unknown, after: unknown): string {
  const [a, b] = [shown(before), shown(after)];
  if (a.length <= WHOLE && b.length <= WHOLE) return `${a}→${b}`;
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const start = Math.max(0, prefix - CONTEXT);
  return `${excerpt(a, start, a.length - suffix)}→${excerpt(b, start, b.length - suffix)}`;
}

/** `text` from `start` to a little after the end of its differing part (`diffEnd`), with … where cut. */
function excerpt(text: string, start: number, diffEnd: number): string {
  let from = start;
  let to = Math.min(text.length, diffEnd + CONTEXT, from + CONTEXT + MAX_DIFF);
  if (isLowSurrogate(text.charCodeAt(from))) from--; // never split a character in two
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to++;
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

function shown(value: unknown): string {
  if (value === undefined) return '(unset)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
