/**
 * Checks chat (or preference) training data like OpenAI's cookbook does, and estimates what training
 * on it will bill. Token counting runs in worker threads for large files.
 */
import { writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { encodingFor } from '../src/models/catalog.js';
import { inputPaths, inputLabel } from '../src/data/input-paths.js';
import { readRecordTexts, type RecordText } from '../src/data/records.js';
import { writeJson } from '../src/data/jsonl-writer.js';
import { AnalyzerPool } from '../src/data/analyze-batch.js';
import { defaultWorkerThreads } from '../src/data/worker-threads.js';
import { ValidationAggregator, type ValidationReport } from '../src/data/validation-report.js';
import { validationLogLines, validationSummaryMarkdown } from '../src/data/validation-summary.js';
import { loadAdapter } from '../src/providers/registry.js';
import type { Finding } from '../src/data/findings.js';
import { printable } from '../src/data/quoted-input.js';

interface ValidateParams {
  input: string | string[];
  model: string;
  n_epochs?: number | 'auto';
  method?: 'sft' | 'dpo' | 'auto';
  fail_on?: string[];
  provider?: string;
  threads?: number;
  max_line_bytes?: number;
}

const BATCH = 512;

export default defineStage<ValidateParams>({
  type: 'validate',
  version: 1,
  description: 'Check chat/preference training data (format, tokens, limits) and estimate the training cost',
  inputs: ['input'],
  volatileParams: ['threads'],
  providerParam: 'provider',
  outputs: {
    report: { kind: 'file', ext: '.json', description: 'format errors, findings, distributions, histograms, epochs and billing' },
    summary: { kind: 'file', ext: '.md', description: 'the report as a readable page' },
  },
  async run(ctx) {
    const { model, method = 'auto', fail_on = ['format_error'], provider } = ctx.params;
    if (typeof model !== 'string' || model === '') throw new FtpipeError('validate needs a "model" param', 'PARAM_INVALID', { hint: 'set model: gpt-4o-mini-2024-07-18 (the base model you will fine-tune)' });
    const files = inputPaths(ctx.params.input);
    const encoding = encodingFor(model);
    const aggregator = new ValidationAggregator({ model, encoding, method });
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    const threads = ctx.params.threads ?? defaultWorkerThreads(bytes);
    const pool = new AnalyzerPool(encoding, threads);
    // Batches in flight, oldest first: results are folded in input order, and memory stays bounded.
    const inFlight: Array<{ batch: RecordText[]; results: Promise<Awaited<ReturnType<AnalyzerPool['analyze']>>> }> = [];
    const maxInFlight = Math.max(2, pool.threads * 3);
    let done = 0;
    const drainOne = async () => {
      const { batch, results } = inFlight.shift()!;
      const analyses = await results;
      batch.forEach((record, i) => aggregator.add(record, analyses[i]));
      done += batch.length;
      ctx.progress.update({ done });
    };
    try {
      let batch: RecordText[] = [];
      for await (const record of readRecordTexts(files, { onProblem: (f: Finding) => aggregator.readProblem(f), signal: ctx.signal, maxLineBytes: ctx.params.max_line_bytes })) {
        batch.push(record);
        if (batch.length < BATCH) continue;
        inFlight.push({ batch, results: pool.analyze(batch.map((r) => r.text)) });
        batch = [];
        if (inFlight.length >= maxInFlight) await drainOne();
      }
      if (batch.length > 0) inFlight.push({ batch, results: pool.analyze(batch.map((r) => r.text)) });
      while (inFlight.length > 0) await drainOne();
    } finally {
      await pool.close();
    }
    const nEpochs = typeof ctx.params.n_epochs === 'number' ? ctx.params.n_epochs : undefined;
    const pricing = provider ? (await loadAdapter(provider))?.pricing : undefined;
    const report = aggregator.finish({ nEpochs, provider, pricing, files });
    const summary = validationSummaryMarkdown(report);
    await writeJson(ctx.output('report'), report);
    await writeFile(ctx.output('summary'), summary);
    // The run log gets what needs attention; the whole page stays in the summary output (and the studio).
    for (const line of validationLogLines(report)) ctx.log.info(line);
    const failingKinds = Object.keys(report.finding_counts).filter((kind) => failsOn(kind, aggregator.log.severities[kind], fail_on, report));
    if (failingKinds.length > 0) {
      const count = failingKinds.reduce((n, kind) => n + report.finding_counts[kind], 0);
      const first = report.findings.find((f) => failingKinds.includes(f.kind));
      const where = first ? `; the first: ${printable(first.message)}` : '';
      throw new FtpipeError(`${count} problem(s) in the training data (${failingKinds.join(', ')})${where}`, 'DATA_INVALID', {
        location: first ? { file: first.file, line: first.line || undefined } : undefined,
        hint: `the validate report lists every finding with its line; fix the data, or change fail_on (now: ${fail_on.join(', ')})`,
      });
    }
    const tokens = report.billing.billed_tokens.toLocaleString('en-US');
    const cost = report.billing.estimated_cost_usd === null ? 'cost unknown' : `~$${report.billing.estimated_cost_usd.toFixed(2)}`;
    const billed = pricing === 'free' ? `${tokens} training tokens` : `${tokens} billed tokens, ${cost}`;
    return { summary: `${report.n_valid.toLocaleString('en-US')} valid of ${report.n_examples.toLocaleString('en-US')} examples in ${files.map((f) => inputLabel(f)).join(', ')}; ${billed}` };
  },
});

/** fail_on holds finding kinds, severities ("error", "warning") or "format_error" (every format error kind). */
function failsOn(kind: string, severity: string | undefined, failOn: string[], report: ValidationReport): boolean {
  if (failOn.includes(kind) || (severity !== undefined && failOn.includes(severity))) return true;
  return failOn.includes('format_error') && kind in report.format_errors;
}
