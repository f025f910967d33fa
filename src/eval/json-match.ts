/**
 * json_match of openai/evals (evals/elsuite/basic/json_match.py): both sides are parsed and compared
 * value by value. Invalid JSON never matches, and neither does null ("missing values are never
 * correct"), objects match when every key of either side matches, lists when equal length and
 * pairwise matching.
 */

/** The parsed completion, or undefined when it is not JSON. */
export function parseJsonAnswer(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function jsonValuesMatch(sampled: unknown, correct: unknown): boolean {
  if (sampled === undefined || sampled === null || correct === undefined || correct === null) return false;
  if (Array.isArray(sampled)) {
    if (!Array.isArray(correct) || sampled.length !== correct.length) return false;
    return sampled.every((value, i) => jsonValuesMatch(value, correct[i]));
  }
  if (typeof sampled === 'object') {
    if (typeof correct !== 'object' || Array.isArray(correct)) return false;
    const a = sampled as Record<string, unknown>;
    const b = correct as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => jsonValuesMatch(a[key], b[key]));
  }
  return sampled === correct;
}

/**
 * Whether the completion matches one of the ideals. An ideal that is not valid JSON is a mistake in the
 * samples (openai/evals raises); the caller reports it with the sample's line.
 */
export function completionMatchesJson(completion: string, ideals: string[]): boolean {
  const sampled = parseJsonAnswer(completion);
  return ideals.some((ideal) => jsonValuesMatch(sampled, JSON.parse(ideal)));
}
