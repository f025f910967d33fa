/**
 * Reads an oaieval record file (JSONL: a {"spec"} line, event lines {run_id, event_id, sample_id, type,
 * data, …}, and a {"final_report"} line) into scores and per-sample answers, streaming.
 */
import { FtpipeError } from '../errors.js';
import { readLines } from '../data/line-reader.js';
import type { JsonValue } from '../stage/types.js';

export interface OaievalRecord {
  finalReport: Record<string, JsonValue>;
  /** By sample index (the number after the eval id in sample_id). */
  samples: Map<number, { answer?: string; score?: number; tokens?: { prompt: number; completion: number } }>;
}

export async function readOaievalRecord(file: string, evalId: string): Promise<OaievalRecord> {
  let finalReport: Record<string, JsonValue> | undefined;
  const samples: OaievalRecord['samples'] = new Map();
  for await (const { text, line } of readLines(file)) {
    if (!text || !text.trim()) continue;
    let row: Record<string, any>;
    try {
      row = JSON.parse(text);
    } catch {
      throw new FtpipeError(`${file}:${line}: not a JSON line of an oaieval record`, 'OAIEVAL_RECORD_INVALID', { location: { file, line } });
    }
    if (row.final_report) finalReport = row.final_report;
    if (typeof row.sample_id !== 'string' || !row.sample_id.startsWith(`${evalId}.`)) continue;
    const index = Number(row.sample_id.slice(evalId.length + 1));
    const entry = samples.get(index) ?? {};
    const data = row.data ?? {};
    // The first sampling event of a sample is the graded model's; a grader's comes later.
    if (row.type === 'sampling' && entry.answer === undefined) {
      entry.answer = Array.isArray(data.sampled) ? String(data.sampled[0] ?? '') : String(data.sampled ?? '');
      if (data.usage && typeof data.usage.prompt_tokens === 'number') entry.tokens = { prompt: data.usage.prompt_tokens, completion: data.usage.completion_tokens ?? 0 };
    }
    if (row.type === 'match') entry.score = data.correct ? 1 : 0;
    if (row.type === 'metrics' && entry.score === undefined) {
      const value = typeof data.accuracy === 'number' ? data.accuracy : typeof data.score === 'number' ? data.score : undefined;
      if (value !== undefined) entry.score = value;
    }
    samples.set(index, entry);
  }
  if (!finalReport) throw new FtpipeError(`${file}: the oaieval record has no final_report (did the run finish?)`, 'OAIEVAL_RECORD_INVALID', { location: { file } });
  return { finalReport, samples };
}

/** The headline score in a final report: accuracy, else the first score/* entry. */
export function headlineScore(report: Record<string, JsonValue>): { name: string; value: number } {
  if (typeof report.accuracy === 'number') return { name: 'accuracy', value: report.accuracy };
  const key = Object.keys(report).find((k) => k.startsWith('score') && typeof report[k] === 'number');
  if (key) return { name: key, value: report[key] as number };
  throw new FtpipeError(`the oaieval final report has no accuracy or score (${Object.keys(report).join(', ')})`, 'OAIEVAL_RECORD_INVALID');
}
