/**
 * json_match of openai/evals (evals/elsuite/basic/json_match.py) with Python's semantics, as
 * self-contained function declarations (shipped verbatim in the promptfoo export):
 * - parsing is Python's json.loads: NaN, Infinity and -Infinity are values; integers are exact (bigint,
 *   so 2^53 + 1 stays itself); a number with a fraction or exponent ("1.0", "1E2") is a float;
 *   objects are Maps, so "__proto__" or "constructor" are plain keys;
 * - comparison is Python's ==: True == 1, False == 0.0, 1 == 1.0, NaN != NaN, and an int equals a
 *   float only when they are the same number exactly.
 */

/** A parsed value: null, boolean, bigint (int), number (float), string, list, or object (Map). */
export type PythonJson = null | boolean | bigint | number | string | PythonJson[] | Map<string, PythonJson>;

/** Python's json.loads, or undefined where it raises (invalid JSON, extra data, control characters). */
export function parsePythonJson(text: string): PythonJson | undefined {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError('not JSON');
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string, value: PythonJson): PythonJson => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail();
  };
  const string = (): string => {
    let out = '';
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i++];
      if (c === '"') return out;
      if (c < ' ') fail();
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
        out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
        i += 4;
      } else fail();
    }
  };
  const number = (): PythonJson => {
    const m = /^(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i));
    if (!m) return fail();
    i += m[0].length;
    return m[2] === undefined && m[3] === undefined ? BigInt(m[1]) : Number(m[0]);
  };
  const value = (): PythonJson => {
    space();
    const c = text[i];
    if (c === '"') return string();
    if (c === '{') {
      const map = new Map<string, PythonJson>();
      i++;
      space();
      if (text[i] === '}') return i++, map;
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        const key = string();
        space();
        if (text[i++] !== ':') fail();
        map.set(key, value());
        space();
        const next = text[i++];
        if (next === '}') return map;
        if (next !== ',') fail();
      }
    }
    if (c === '[') {
      const list: PythonJson[] = [];
      i++;
      space();
      if (text[i] === ']') return i++, list;
      for (;;) {
        list.push(value());
        space();
        const next = text[i++];
        if (next === ']') return list;
        if (next !== ',') fail();
      }
    }
    if (c === 'n') return literal('null', null);
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'N') return literal('NaN', NaN);
    if (c === 'I') return literal('Infinity', Infinity);
    if (c === '-' && text.startsWith('-Infinity', i)) return literal('-Infinity', -Infinity);
    return number();
  };
  try {
    const parsed = value();
    space();
    return i === text.length ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Python's == between two parsed scalars (bool is an int; ints and floats compare exactly). */
export function pythonScalarEquals(a: PythonJson, b: PythonJson): boolean {
  const numeric = (v: PythonJson) => (typeof v === 'boolean' ? BigInt(v ? 1 : 0) : v);
  const x = numeric(a);
  const y = numeric(b);
  if (typeof x === 'string' || typeof y === 'string') return x === y;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x === y;
  if (typeof x === 'number' && typeof y === 'number') return x === y;
  const int = typeof x === 'bigint' ? x : y;
  const float = typeof x === 'number' ? x : y;
  if (typeof int !== 'bigint' || typeof float !== 'number') return false;
  return Number.isInteger(float) && BigInt(float) === int;
}

/** json_match(): None never matches; dicts key by key over both key sets; lists pairwise, same length. */
export function pythonJsonMatch(sampled: PythonJson | undefined, correct: PythonJson | undefined): boolean {
  if (sampled === undefined || sampled === null || correct === undefined || correct === null) return false;
  if (sampled instanceof Map) {
    if (!(correct instanceof Map)) return false;
    for (const key of new Set([...sampled.keys(), ...correct.keys()])) if (!pythonJsonMatch(sampled.get(key), correct.get(key))) return false;
    return true;
  }
  if (Array.isArray(sampled)) {
    if (!Array.isArray(correct) || sampled.length !== correct.length) return false;
    return sampled.every((value, i) => pythonJsonMatch(value, correct[i]));
  }
  if (correct instanceof Map || Array.isArray(correct)) return false;
  return pythonScalarEquals(sampled, correct);
}

/** JsonMatch.eval_sample(): the completion (undefined when not JSON) matches one of the parsed ideals. */
export function completionMatchesJson(completion: string, ideals: string[]): boolean {
  const sampled = parsePythonJson(completion);
  return ideals.some((ideal) => pythonJsonMatch(sampled, parsePythonJson(ideal)));
}
