/**
 * Cleans chat examples with named rules (see src/data/clean-rules.ts). With fix: false nothing is
 * changed or dropped: the report says what would be.
 */
import { statSync } from 'node:fs';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { encodingFor } from '../src/models/catalog.js';
import { inputPaths, inputLabel } from '../src/data/input-paths.js';
import { readRecords } from '../src/data/records.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { FindingLog, findingsReport, problemHandler, rowProblem, type Finding, type OnError } from '../src/data/findings.js';
import { chatShapeProblem, type ChatExample } from '../src/data/chat-example.js';
import * as rules from '../src/data/clean-rules.js';
import { RuleTally } from '../src/data/rule-tally.js';
import { AnalyzerPool } from '../src/data/analyze-batch.js';
import type { DataRecord } from '../src/data/records.js';

interface CleanParams {
  input: string | string[];
  rules?: rules.RuleId[];
  fix?: boolean;
  max_tokens?: number;
  on_over_limit?: 'drop' | 'fail';
  model?: string;
  on_error?: OnError;
  /** Worker threads for max-tokens counting (default: 1 for inputs of 4 MB or more, else 0). */
  threads?: number;
}

/** Examples sent to the token-counting worker at a time, and batches in flight (bounded memory). */
const BATCH = 512;
const MAX_IN_FLIGHT = 4;
const WORKER_MIN_BYTES = 4 << 20;

/** An example after the per-example rules, waiting for its token count and the dedupe rules. */
interface Pending {
  record: DataRecord;
  original: ChatExample;
  example: ChatExample;
  /** JSON.stringify(example): sent for counting, the dedupe-exact key and the output line. */
  json: string;
  /** Dropped by an earlier rule (kept in line only to write the original with fix: false). */
  dropped: boolean;
}

const defaultRules: rules.RuleId[] = ['normalize-line-endings', 'normalize-whitespace', 'drop-empty-message', 'drop-empty-example', 'require-assistant', 'max-tokens', 'dedupe-exact', 'dedupe-normalized'];

export default defineStage<CleanParams>({
  type: 'clean',
  version: 1,
  description: 'Normalize, drop and deduplicate chat examples with named rules',
  inputs: ['input'],
  volatileParams: ['threads'],
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'the cleaned examples' },
    report: { kind: 'file', ext: '.json', description: 'per rule: how many examples it fixed or dropped, with up to 5 example lines' },
  },
  async run(ctx) {
    const { fix = true, max_tokens, on_over_limit = 'drop', model = 'gpt-4o-mini', on_error = 'fail' } = ctx.params;
    const enabled = new Set(ctx.params.rules ?? defaultRules);
    const unknown = [...enabled].filter((id) => !(rules.ruleIds as readonly string[]).includes(id));
    if (unknown.length > 0) throw new FtpipeError(`unknown clean rule(s): ${unknown.join(', ')}`, 'PARAM_INVALID', { hint: `known rules: ${rules.ruleIds.join(', ')}` });
    const encoding = encodingFor(model);
    const log = new FindingLog();
    const tally = new RuleTally();
    const exact = new rules.SeenDigests();
    const normalized = new rules.SeenDigests();
    const writer = new JsonlWriter(ctx.output('data'));
    const files = inputPaths(ctx.params.input);
    const countTokens = enabled.has('max-tokens') && max_tokens !== undefined;
    const bytes = countTokens ? files.reduce((n, f) => n + statSync(f).size, 0) : 0;
    // Token counting is the expensive part: it runs in one worker thread while this one parses,
    // applies the other rules and writes (two threads in all).
    const pool = countTokens ? new AnalyzerPool(encoding, ctx.params.threads ?? (bytes >= WORKER_MIN_BYTES ? 1 : 0)) : undefined;
    const inFlight: Array<{ batch: Pending[]; totals: Promise<Int32Array> | null }> = [];
    let read = 0;

    /** The rules after max-tokens need every earlier example decided: they run in input order. */
    const finish = async (item: Pending, total: number | null) => {
      const { record } = item;
      if (item.dropped) {
        await writer.write(item.original);
        return;
      }
      if (total !== null && total > max_tokens!) {
        if (on_over_limit === 'fail') {
          throw new FtpipeError(`${record.file}:${record.line}: example has ${total} tokens > max_tokens ${max_tokens}`, 'DATA_OVER_LIMIT', { location: { file: record.file, line: record.line }, hint: 'shorten the example, raise max_tokens, or set on_over_limit: drop' });
        }
        tally.hit('max-tokens', record, `${total} tokens > max_tokens ${max_tokens}`);
        if (!fix) await writer.write(item.original);
        return;
      }
      let dropped = false;
      if (enabled.has('dedupe-exact') && exact.check(item.json)) {
        tally.hit('dedupe-exact', record, 'exact duplicate of an earlier example');
        dropped = true;
      } else if (enabled.has('dedupe-normalized') && normalized.check(rules.normalizedKey(item.example))) {
        tally.hit('dedupe-normalized', record, 'duplicate of an earlier example up to case and spacing');
        dropped = true;
      }
      if (!fix) await writer.write(item.original);
      else if (!dropped) await writer.writeJsonText(item.json);
    };
    const drainOne = async () => {
      const { batch, totals } = inFlight.shift()!;
      const counts = totals ? await totals : null;
      for (let i = 0; i < batch.length; i++) await finish(batch[i], counts ? counts[i] : null);
    };
    let batch: Pending[] = [];
    const flushBatch = async () => {
      if (batch.length === 0) return;
      inFlight.push({ batch, totals: pool ? pool.countTokens(batch.map((p) => p.json)) : null });
      batch = [];
      while (inFlight.length > (pool && pool.threads > 0 ? MAX_IN_FLIGHT : 0)) await drainOne();
    };
    // With on_error: fail, a broken row stops the stage only once every example before it is done,
    // so an earlier over-limit example fails first, as it would one example at a time.
    let failure: Finding | undefined;
    const onProblem = problemHandler(log, on_error);
    try {
      for await (const record of readRecords(files, { onProblem: (f) => (f.severity === 'error' && on_error === 'fail' ? (failure ??= f) : failure || onProblem(f)), signal: ctx.signal })) {
        if (failure) break;
        read++;
        const problem = chatShapeProblem(record.value);
        if (problem) {
          const finding: Finding = { kind: 'not_chat_example', severity: 'error', file: record.file, line: record.line, message: problem };
          if (on_error === 'fail') {
            failure = finding;
            break;
          }
          rowProblem(log, finding, on_error);
          continue;
        }
        const original = record.value as ChatExample;
        let example = original;
        let dropped = false;
        const apply = (id: rules.RuleId, outcome: rules.RuleOutcome) => {
          if (dropped || outcome.action === 'keep') return;
          tally.hit(id, record, outcome.action === 'drop' ? outcome.reason : 'fixed');
          if (outcome.action === 'drop') dropped = true;
          else example = outcome.example;
        };
        if (enabled.has('normalize-line-endings')) apply('normalize-line-endings', rules.normalizeLineEndings(example));
        if (enabled.has('normalize-whitespace')) apply('normalize-whitespace', rules.normalizeWhitespace(example));
        if (enabled.has('drop-empty-message')) apply('drop-empty-message', rules.dropEmptyMessages(example));
        if (enabled.has('drop-empty-example')) apply('drop-empty-example', rules.dropEmptyExample(example));
        if (enabled.has('require-assistant')) apply('require-assistant', rules.requireAssistant(example));
        if (dropped) {
          // Nothing later looks at it; with fix: false its original still takes its place in the output.
          if (!fix) batch.push({ record, original, example, json: '', dropped: true });
        } else {
          batch.push({ record, original, example, json: rules.exactKey(example), dropped: false });
        }
        if (batch.length >= BATCH) await flushBatch();
        if (read % 10_000 === 0) ctx.progress.update({ done: read });
      }
      await flushBatch();
      while (inFlight.length > 0) await drainOne();
      if (failure) rowProblem(log, failure, 'fail');
    } finally {
      await pool?.close();
      await writer.close();
    }
    await writeJson(ctx.output('report'), { fix, examples_in: read, examples_out: writer.count, rules: tally.report([...enabled]), ...findingsReport(log) });
    const changes = tally.summary();
    return { summary: `${writer.count.toLocaleString('en-US')} of ${read.toLocaleString('en-US')} examples kept${fix ? '' : ' (fix: false, report only)'}${changes ? `; ${changes}` : ''} (${files.map((f) => inputLabel(f)).join(', ')})` };
  },
});
