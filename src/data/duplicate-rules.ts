/**
 * clean's rules that compare an example with others: dedupe-exact and dedupe-normalized (with an
 * earlier example of the input, see example-keys.ts) and leakage (with an example of the holdout files,
 * e.g. the validation set, so nothing evaluated on was trained on). Every hit names the line it repeats.
 */
import { basename } from 'node:path';
import { chatShapeProblem, type ChatExample } from './chat-example.js';
import { DIGEST_BYTES, FirstSeen, keyDigest, normalizedKey, type Place } from './example-keys.js';
import { readRecords } from './records.js';
import type { Finding } from './findings.js';

export type DuplicateRule = 'dedupe-exact' | 'dedupe-normalized' | 'leakage';

export interface DuplicateHit {
  rule: DuplicateRule;
  detail: string;
  duplicateOf: { file: string; line: number };
}

export class DuplicateRules {
  /** Used only when dedupe-normalized is off: with it on, an exact repeat is a normalized one whose exact fingerprint matches. */
  private readonly exact = new FirstSeen();
  private readonly normalized = new FirstSeen();
  private readonly holdout = new FirstSeen();

  constructor(
    private readonly enabled: ReadonlySet<string>,
    private readonly files: string[],
    private readonly holdoutFiles: string[],
  ) {}

  /** Remembers the holdout files' examples; a row that is not a chat example there is a warning. */
  async loadHoldout(options: { signal?: AbortSignal; maxLineBytes?: number; onProblem(finding: Finding): void }): Promise<number> {
    if (!this.enabled.has('leakage')) return 0;
    let count = 0;
    const warn = (finding: Finding) => options.onProblem({ ...finding, kind: `holdout_${finding.kind}`, severity: 'warning' });
    for await (const record of readRecords(this.holdoutFiles, { onProblem: warn, signal: options.signal, maxLineBytes: options.maxLineBytes })) {
      const problem = chatShapeProblem(record.value);
      if (problem) {
        warn({ kind: 'not_chat_example', severity: 'warning', file: record.file, line: record.line, message: problem });
        continue;
      }
      this.holdout.check(keyDigest(normalizedKey(record.value as ChatExample)), { file: this.files.length + this.holdoutFiles.indexOf(record.file), line: record.line });
      count++;
    }
    return count;
  }

  /** Whether check() needs the example's digests (see exampleDigests). */
  get active(): boolean {
    return this.enabled.has('leakage') || this.enabled.has('dedupe-exact') || this.enabled.has('dedupe-normalized');
  }

  /** Whether the exact digest must be of the canonical JSON: when only dedupe-exact compares examples. */
  get canonicalExact(): boolean {
    return this.enabled.has('dedupe-exact') && !this.enabled.has('dedupe-normalized');
  }

  /**
   * The first rule the example hits (leakage, then dedupe-exact, then dedupe-normalized), or null.
   * `digests`: its exampleDigests (see example-keys.ts; computed where the example was parsed, a worker thread maybe).
   */
  check(digests: Uint8Array, where: { file: string; line: number }): DuplicateHit | null {
    const place: Place = { file: this.files.indexOf(where.file), line: where.line };
    const exact = digests.subarray(0, DIGEST_BYTES);
    const normalized = digests.subarray(DIGEST_BYTES, 2 * DIGEST_BYTES);
    if (this.enabled.has('leakage')) {
      const found = this.holdout.find(normalized);
      if (found) return this.hit('leakage', 'also in the holdout set', found, where);
    }
    if (this.canonicalExact) {
      const found = this.exact.check(exact, place);
      return found ? this.hit('dedupe-exact', 'exact duplicate of', found, where) : null;
    }
    if (!this.enabled.has('dedupe-normalized')) return null;
    const fingerprint = new DataView(exact.buffer, exact.byteOffset, 4).getUint32(0, true);
    const found = this.normalized.check(normalized, { ...place, tag: fingerprint });
    if (!found) return null;
    if (found.tag === fingerprint && this.enabled.has('dedupe-exact')) return this.hit('dedupe-exact', 'exact duplicate of', found, where);
    return this.hit('dedupe-normalized', 'same training example (up to key order, case and spacing) as', found, where);
  }

  private hit(rule: DuplicateRule, what: string, found: Place, where: { file: string }): DuplicateHit {
    const file = found.file < this.files.length ? this.files[found.file] : this.holdoutFiles[found.file - this.files.length];
    const shown = file === where.file ? `line ${found.line}` : `${basename(file)}:${found.line}`;
    return { rule, detail: `${what} ${shown}`, duplicateOf: { file, line: found.line } };
  }
}
