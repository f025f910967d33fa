/**
 * Input quoted in messages (errors, findings): cut to a few hundred characters, so a 50 MB cell or
 * header never becomes a 50 MB message, and with control and invisible characters escaped, so bytes
 * from a binary or hostile file never reach the terminal raw.
 */

/** Controls (C0, DEL, C1), bidi overrides, line/paragraph separators, BOM, U+FFFD and lone surrogates. */
const unprintable = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escape = (ch: string) => {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return named[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
};

/** `text` with unprintable characters escaped, cut to `max` characters with a note of what was cut. */
export function printable(text: string, max = 500): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)` : text;
  return cut.replace(unprintable, escape);
}

/** A value from the input, in double quotes, escaped and cut (see printable). */
export function quoteInput(text: string, max = 200): string {
  const cut = text.length > max;
  const shown = (cut ? text.slice(0, max) : text).replace(/["\\]/g, '\\$&').replace(unprintable, escape);
  return `"${shown}"${cut ? `… (${(text.length - max).toLocaleString('en-US')} more characters)` : ''}`;
}
