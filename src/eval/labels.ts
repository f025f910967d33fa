/**
 * Reads a classification answer as a set of labels. Three notations appear in practice: Python lists
 * (`['a', 'b']`, what the original scripts printed), bare quoted lists (`'a','b'`, the classification
 * output of the data stages) and JSON arrays (`["a","b"]`). Unquoted text is one label per comma.
 * Self-contained function declarations: the promptfoo export ships their source (promptfoo-assertions.ts).
 */

export function parseLabels(answer: string): string[] {
  const text = answer.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    const json = jsonStringArray(text);
    if (json) return unique(json);
  }
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).trim() : text;
  const quoted = quotedItems(inner);
  if (quoted) return unique(quoted);
  return unique(inner.split(',').map((s) => s.trim()).filter(Boolean));
}

/** Labels as one canonical key (sorted, JSON), so two answers with the same set compare equal. */
export function labelSetKey(labels: string[]): string {
  return JSON.stringify([...new Set(labels)].sort());
}

export function sameLabelSet(a: string[], b: string[]): boolean {
  return labelSetKey(a) === labelSetKey(b);
}

export function jsonStringArray(text: string): string[] | null {
  try {
    const value = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
  } catch {
    return null;
  }
}

/** `'a', "b"` → [a, b]; null when the text is not only quoted items and commas. */
export function quotedItems(text: string): string[] | null {
  const items: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  skipSpace();
  while (i < text.length) {
    const quote = text[i];
    if (quote !== "'" && quote !== '"') return null;
    let item = '';
    i++;
    while (i < text.length && text[i] !== quote) {
      // Python reprs escape quotes and backslashes inside items.
      if (text[i] === '\\' && i + 1 < text.length) i++;
      item += text[i++];
    }
    if (i >= text.length) return null;
    i++;
    items.push(item);
    skipSpace();
    if (i < text.length) {
      if (text[i] !== ',') return null;
      i++;
      skipSpace();
    }
  }
  return items.length > 0 ? items : null;
}

export function unique(labels: string[]): string[] {
  return [...new Set(labels.map((l) => l.trim()).filter(Boolean))];
}
