/**
 * Findings about data rows: counted exactly, stored up to a cap (a 1M-row file with one repeated
 * problem must not produce a 1M-entry report).
 */
import { FtpipeError } from '../errors.js';
import { printable } from './quoted-input.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  kind: string;
  severity: Severity;
  file: string;
  /** 1-based line in file (where a JSON array element or a CSV record starts). */
  line: number;
  message: string;
}

export type OnError = 'skip' | 'fail';

export class FindingLog {
  readonly counts: Record<string, number> = {};
  readonly severities: Record<string, Severity> = {};
  readonly stored: Finding[] = [];
  private readonly cap: number;

  constructor(cap = 1000) {
    this.cap = cap;
  }

  add(finding: Finding): void {
    this.counts[finding.kind] = (this.counts[finding.kind] ?? 0) + 1;
    this.severities[finding.kind] = finding.severity;
    if (this.stored.length < this.cap) this.stored.push(finding);
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  count(severity: Severity): number {
    return Object.entries(this.counts).reduce((n, [kind, c]) => n + (this.severities[kind] === severity ? c : 0), 0);
  }
}

/**
 * A broken row: with on_error "fail" the stage stops naming file:line (in the error's location, printed
 * once), with "skip" it is recorded and skipped.
 */
export function rowProblem(log: FindingLog, finding: Finding, onError: OnError, hint?: string): void {
  if (onError === 'fail') throw findingError(finding, hint ?? 'fix the row, or set on_error: skip to drop broken rows and list them in the report');
  log.add(finding);
}

/** The error a finding stops a stage with: its message made printable, its place as the location. */
export function findingError(finding: Finding, hint: string, code = `DATA_${finding.kind.toUpperCase()}`): FtpipeError {
  return new FtpipeError(printable(finding.message), code, { location: { file: finding.file, line: finding.line || undefined }, hint });
}

/** The onProblem callback for readers: errors follow on_error, warnings are only recorded. */
export function problemHandler(log: FindingLog, onError: OnError): (finding: Finding) => void {
  return (finding) => (finding.severity === 'error' ? rowProblem(log, finding, onError) : log.add(finding));
}

/** Findings for a report: exact counts per kind plus the first ones in full. */
export function findingsReport(log: FindingLog): { finding_counts: Record<string, number>; findings: Finding[] } {
  return { finding_counts: log.counts, findings: log.stored };
}
