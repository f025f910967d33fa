/**
 * A JSONL file opened in the studio: its line index, per-line facts for filtering (built once, on the
 * first filter, in one streaming pass) and the validation findings that point at its lines.
 */
import { readLines } from '../data/line-reader.js';
import type { EncodingName } from '../data/tokens.js';
import type { Finding } from '../data/findings.js';
import { JsonlIndex, splitLineEnding } from './jsonl-index.js';
import { exampleRow, type ExampleRow } from './example-row.js';

export interface DatasetQuery {
  offset: number;
  limit: number;
  /** Case-insensitive text search in the raw line. */
  q?: string;
  /** A finding kind, or "any" for lines with at least one finding. */
  finding?: string;
  label?: string;
  minTokens?: number;
  maxTokens?: number;
}

export interface DatasetPage {
  total: number;
  offset: number;
  rows: Array<ExampleRow & { findings: Finding[] }>;
}

/** Per-line facts in typed arrays: a million lines cost ~8 MB, not a million objects. */
interface LineFacts {
  tokens: Int32Array;
  labelIds: Int32Array;
  labels: string[];
  labelCounts: number[];
}

export class OpenDataset {
  private facts: Promise<LineFacts> | null = null;

  constructor(
    readonly id: string,
    readonly path: string,
    readonly index: JsonlIndex,
    readonly encoding: EncodingName,
    readonly findings: Map<number, Finding[]>,
  ) {}

  async page(query: DatasetQuery): Promise<DatasetPage> {
    const filtered = query.q || query.finding || query.label !== undefined || query.minTokens !== undefined || query.maxTokens !== undefined;
    let lines: number[];
    let total: number;
    if (!filtered) {
      total = this.index.lineCount;
      lines = range(query.offset + 1, Math.min(total, query.offset + query.limit));
    } else {
      const matching = await this.matchingLines(query);
      total = matching.length;
      lines = matching.slice(query.offset, query.offset + query.limit);
    }
    const raws = await this.index.readLines(lines);
    const rows = raws.map((raw, i) => ({ ...exampleRow(lines[i], splitLineEnding(raw).text, this.encoding), findings: this.findings.get(lines[i]) ?? [] }));
    return { total, offset: query.offset, rows };
  }

  /** Labels with their counts (most frequent first) and the token range, for the filter controls. */
  async facets(): Promise<{ labels: Array<{ label: string; count: number }>; maxTokens: number; findingKinds: Record<string, number> }> {
    const facts = await this.lineFacts();
    const labels = facts.labels.map((label, i) => ({ label, count: facts.labelCounts[i] })).sort((a, b) => b.count - a.count);
    const findingKinds: Record<string, number> = {};
    for (const list of this.findings.values()) for (const f of list) findingKinds[f.kind] = (findingKinds[f.kind] ?? 0) + 1;
    return { labels: labels.slice(0, 200), maxTokens: facts.tokens.reduce((m, t) => Math.max(m, t), 0), findingKinds };
  }

  private async matchingLines(query: DatasetQuery): Promise<number[]> {
    const facts = query.label !== undefined || query.minTokens !== undefined || query.maxTokens !== undefined ? await this.lineFacts() : null;
    const labelId = query.label !== undefined && facts ? facts.labels.indexOf(query.label) : -2;
    const keep = (line: number): boolean => {
      if (query.finding) {
        const list = this.findings.get(line);
        if (!list || (query.finding !== 'any' && !list.some((f) => f.kind === query.finding))) return false;
      }
      if (facts) {
        const tokens = facts.tokens[line - 1];
        if (query.minTokens !== undefined && tokens < query.minTokens) return false;
        if (query.maxTokens !== undefined && tokens > query.maxTokens) return false;
        if (labelId !== -2 && facts.labelIds[line - 1] !== labelId) return false;
      }
      return true;
    };
    if (!query.q) return range(1, this.index.lineCount).filter(keep);
    const needle = query.q.toLowerCase();
    const out: number[] = [];
    for await (const { line, text } of readLines(this.index.file)) {
      if (text !== null && text.toLowerCase().includes(needle) && keep(line)) out.push(line);
    }
    return out;
  }

  private lineFacts(): Promise<LineFacts> {
    this.facts ??= this.buildLineFacts();
    return this.facts;
  }

  private async buildLineFacts(): Promise<LineFacts> {
    const n = this.index.lineCount;
    const facts: LineFacts = { tokens: new Int32Array(n), labelIds: new Int32Array(n).fill(-1), labels: [], labelCounts: [] };
    const ids = new Map<string, number>();
    for await (const { line, text } of readLines(this.index.file)) {
      if (line > n) break;
      const row = exampleRow(line, text ?? '', this.encoding);
      facts.tokens[line - 1] = row.tokens ?? -1;
      if (row.label === null) continue;
      let id = ids.get(row.label);
      if (id === undefined) {
        id = facts.labels.push(row.label) - 1;
        facts.labelCounts.push(0);
        ids.set(row.label, id);
      }
      facts.labelIds[line - 1] = id;
      facts.labelCounts[id]++;
    }
    return facts;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
