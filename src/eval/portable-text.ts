/**
 * The text comparisons of openai/evals' basic evals with Python's string semantics, written as
 * self-contained function declarations (no imports, no module state): the promptfoo export ships
 * their source verbatim (see promptfoo-assertions.ts), so an exported assertion scores exactly as ftpipe.
 *
 * Python differs from JavaScript where it matters: `str.split()` / `str.strip()` use Python's
 * whitespace set (\x1c–\x1f and \x85 are whitespace, \ufeff is not) and `re`'s `\b` is Unicode-aware
 * (ñ is a word character, so "niña" keeps its "a").
 */

/** Python's str.isspace() for one character (the 29 code points CPython treats as whitespace). */
export function pythonIsSpace(char: string): boolean {
  return /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(char);
}

/** Python's str.split() without arguments: runs of Python whitespace separate, empty parts dropped. */
export function pythonSplit(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (const char of text) {
    if (pythonIsSpace(char)) {
      if (current !== '') parts.push(current);
      current = '';
    } else current += char;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/** Python's str.strip() without arguments. */
export function pythonStrip(text: string): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && pythonIsSpace(chars[start])) start++;
  while (end > start && pythonIsSpace(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

/** Drops Python's string.punctuation (ASCII only, as in Python). */
export function removePunctuation(text: string): string {
  let kept = '';
  for (const char of text) if (!'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.includes(char)) kept += char;
  return kept;
}

/**
 * evals/elsuite/utils.py normalize(): lower, drop punctuation, replace the articles a/an/the
 * (between Python word boundaries: letters, digits and "_" of any script) by a space, collapse whitespace.
 */
export function normalizeAnswer(text: string): string {
  const kept = removePunctuation(text.toLowerCase());
  const articles = kept.replace(/(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu, ' ');
  return pythonSplit(articles).join(' ');
}

/** evals/elsuite/utils.py fuzzy_match(): after normalising, either contains the other; "" matches only "". */
export function fuzzyMatches(completion: string, answer: string): boolean {
  const a = normalizeAnswer(completion);
  const b = normalizeAnswer(answer);
  if (a === '' || b === '') return a === b;
  return a.includes(b) || b.includes(a);
}

/** evals/elsuite/utils.py f1_score(): token F1 of the normalised texts, the best over the ideals. */
export function tokenF1(completion: string, ideals: string[]): number {
  let best = 0;
  for (const truth of ideals) {
    const predicted = pythonSplit(normalizeAnswer(completion));
    const expected = pythonSplit(normalizeAnswer(truth));
    const remaining = new Map<string, number>();
    for (const token of expected) remaining.set(token, (remaining.get(token) ?? 0) + 1);
    let same = 0;
    for (const token of predicted) {
      const left = remaining.get(token) ?? 0;
      if (left > 0) {
        same++;
        remaining.set(token, left - 1);
      }
    }
    if (same === 0) continue;
    const precision = same / predicted.length;
    const recall = same / expected.length;
    best = Math.max(best, (2 * precision * recall) / (precision + recall));
  }
  return best;
}

/** Match (evals.record_and_check_match without separator): the completion starts with an ideal. */
export function startsWithIdeal(completion: string, ideals: string[]): boolean {
  return ideals.some((ideal) => completion.startsWith(ideal));
}

/** Includes (utils.get_answer): an ideal occurs in the completion; ignore_case lowers both (str.lower()). */
export function includesIdeal(completion: string, ideals: string[], ignoreCase: boolean): boolean {
  const text = ignoreCase ? completion.toLowerCase() : completion;
  return ideals.some((ideal) => text.includes(ignoreCase ? ideal.toLowerCase() : ideal));
}
