/**
 * The text comparisons of openai/evals' basic evals (evals/elsuite/basic/*.py and elsuite/utils.py),
 * with the same semantics so scores agree with `oaieval` on the same samples.
 */

/** An ideal may be one answer or a list of acceptable answers. */
export function idealList(ideal: string | string[]): string[] {
  return Array.isArray(ideal) ? ideal : [ideal];
}

/** Match: the completion starts with one of the ideals (evals.record_and_check_match, no separator). */
export function startsWithIdeal(completion: string, ideal: string | string[]): boolean {
  return idealList(ideal).some((answer) => completion.startsWith(answer));
}

/** Includes: one of the ideals occurs somewhere in the completion (case-sensitive, as the eval's default). */
export function includesIdeal(completion: string, ideal: string | string[], options: { ignoreCase?: boolean } = {}): boolean {
  const text = options.ignoreCase ? completion.toLowerCase() : completion;
  return idealList(ideal).some((answer) => text.includes(options.ignoreCase ? answer.toLowerCase() : answer));
}

// Python's string.punctuation.
const punctuation = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** Lowercase, drop punctuation, drop the articles a/an/the, collapse whitespace (utils.normalize). */
export function normalizeAnswer(text: string): string {
  const lower = text.toLowerCase();
  let kept = '';
  for (const char of lower) if (!punctuation.has(char)) kept += char;
  return kept
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

/** Fuzzy match: after normalising, either text contains the other; two empty texts match each other only. */
export function fuzzyMatches(completion: string, answer: string): boolean {
  const a = normalizeAnswer(completion);
  const b = normalizeAnswer(answer);
  if (a === '' || b === '') return a === b;
  return a.includes(b) || b.includes(a);
}

/** Token-level F1 of the normalised texts, the best over the ideals (utils.f1_score). */
export function tokenF1(completion: string, ideal: string | string[]): number {
  return Math.max(...idealList(ideal).map((answer) => f1Against(completion, answer)));
}

function f1Against(prediction: string, truth: string): number {
  const predicted = normalizeAnswer(prediction).split(' ').filter(Boolean);
  const expected = normalizeAnswer(truth).split(' ').filter(Boolean);
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
  if (same === 0) return 0;
  const precision = same / predicted.length;
  const recall = same / expected.length;
  return (2 * precision * recall) / (precision + recall);
}
