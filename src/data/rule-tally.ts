/** Counts rule hits and keeps the first few locations of each, for the clean report. */
export interface RuleHits {
  count: number;
  /** For the dedupe and leakage rules, the example each one repeats. */
  examples: Array<{ file: string; line: number; detail: string; duplicate_of?: { file: string; line: number } }>;
}

const EXAMPLES_PER_RULE = 5;

export class RuleTally {
  private readonly hits = new Map<string, RuleHits>();

  hit(rule: string, where: { file: string; line: number }, detail: string, duplicateOf?: { file: string; line: number }): void {
    let entry = this.hits.get(rule);
    if (!entry) this.hits.set(rule, (entry = { count: 0, examples: [] }));
    entry.count++;
    if (entry.examples.length < EXAMPLES_PER_RULE) entry.examples.push({ file: where.file, line: where.line, detail, ...(duplicateOf && { duplicate_of: duplicateOf }) });
  }

  /** Every enabled rule appears, with count 0 when it never fired. */
  report(enabled: string[]): Record<string, RuleHits> {
    return Object.fromEntries(enabled.map((rule) => [rule, this.hits.get(rule) ?? { count: 0, examples: [] }]));
  }

  summary(): string {
    return [...this.hits.entries()].map(([rule, h]) => `${rule} ${h.count}`).join(', ');
  }
}
