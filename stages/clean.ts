/**
 * Cleans chat examples with named rules (see src/data/clean-rules.ts and duplicate-rules.ts). With
 * fix: false nothing is changed or dropped: the report says what would be. Every dropped example goes
 * to the `dropped` output with its rule (and the line it repeats). strip-common-prefix (off by default)
 * reads the input twice: pass 1 finds the prefix every first user message shares, pass 2 cleans.
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
import { CommonPrefix, cutAtWordBoundary, prefixTarget } from '../src/data/common-prefix.js';
import { AnalyzerPool, type ExampleFacts } from '../src/data/analyze-batch.js';
import { DuplicateRules } from '../src/data/duplicate-rules.js';
import { defaultWorkerThreads } from '../src/data/worker-threads.js';
import { DIGEST_BYTES } from '../src/data/example-keys.js';
import type { DataRecord } from '../src/data/records.js';

interface CleanParams {
  input: string | string[];
  /** Examples to keep out of the input (a validation or test set): the leakage rule. */
  holdout?: string | string[];
  rules?: rules.RuleId[];
  fix?: boolean;
  max_tokens?: number;
  on_over_limit?: 'drop' | 'fail';
  model?: string;
  on_error?: OnError;
  /** strip-common-prefix: shorter common prefixes are left alone (default 20). */
  min_prefix_chars?: number;
  /** Worker threads for token counting and dedupe digests (default: see worker-threads.ts). */
  threads?: number;
  max_line_bytes?: number;
}

/** Examples sent to the token-counting worker at a time, and batches in flight (bounded memory). */
const BATCH = 512;
const MAX_IN_FLIGHT = 4;
const EMPTY = new Uint8Array(0);
const FACT_DIGEST_BYTES = 2 * DIGEST_BYTES;

/** An example after the per-example rules, waiting for its token count and the dedupe rules. */
interface Pending {
  record: DataRecord;
  original: ChatExample;
  example: ChatExample;
  /** The example's JSON (as read when no rule changed it): sent for counting and the output line. */
  json: string;
  /** Dropped by an earlier rule (kept in line only to write the original with fix: false). */
  dropped: boolean;
}

/** strip-common-prefix is opt-in: it rewrites prompts, which only the recipe author can judge. */
const defaultRules: rules.RuleId[] = ['normalize-line-endings', 'normalize-whitespace', 'drop-empty-message', 'drop-empty-example', 'require-assistant', 'max-tokens', 'dedupe-exact', 'dedupe-normalized'];

/** The per-example rules before strip-common-prefix, in their fixed order. */
const earlyRules: Array<[rules.RuleId, (example: ChatExample) => rules.RuleOutcome]> = [
  ['normalize-line-endings', rules.normalizeLineEndings],
  ['normalize-whitespace', rules.normalizeWhitespace],
  ['drop-empty-message', rules.dropEmptyMessages],
  ['drop-empty-example', rules.dropEmptyExample],
  ['require-assistant', rules.requireAssistant],
];

/** Applies the enabled early rules; `hit` hears each one that fires. Null: the example is dropped. */
function applyEarlyRules(example: ChatExample, enabled: Set<string>, hit?: (id: rules.RuleId, outcome: rules.RuleOutcome) => void): ChatExample | null {
  for (const [id, rule] of earlyRules) {
    if (!enabled.has(id)) continue;
    const outcome = rule(example);
    if (outcome.action === 'keep') continue;
    hit?.(id, outcome);
    if (outcome.action === 'drop') return null;
    example = outcome.example;
  }
  return example;
}

const REPORT_PREFIX_CHARS = 200;

/** A record's JSON as read when it is one line (a JSONL line, kept byte-for-byte), else re-serialized. */
function asRead(record: DataRecord): string {
  return record.text.includes('\n') ? JSON.stringify(record.value) : record.text.trim();
}

/** Writes a record unchanged: a JSONL line's own bytes when it has no surrounding spaces, else asRead. */
function writeAsRead(writer: JsonlWriter, record: DataRecord): Promise<void> {
  const { raw, text } = record;
  const trimmed = raw !== undefined && text.length > 0 && text.charCodeAt(0) > 0x20 && text.charCodeAt(text.length - 1) > 0x20;
  return trimmed ? writer.writeJsonBytes(raw) : writer.writeJsonText(asRead(record));
}

/**
 * Pass 1 of strip-common-prefix: the longest common prefix of the first user message of every
 * example that reaches the rule (after the early rules), cut at a word boundary; '' when it is shorter
 * than minChars or fewer than two examples have a user message. Broken rows are left to pass 2.
 */
async function findCommonPrefix(files: string[], enabled: Set<string>, minChars: number, signal?: AbortSignal, maxLineBytes?: number): Promise<string> {
  const lcp = new CommonPrefix();
  for await (const record of readRecords(files, { onProblem: () => {}, signal, maxLineBytes })) {
    if (chatShapeProblem(record.value)) continue;
    const example = applyEarlyRules(record.value as ChatExample, enabled);
    if (!example) continue;
    const at = prefixTarget(example.messages);
    if (at < 0) continue;
    const content = example.messages[at].content;
    // Content parts are never stripped, so they share no prefix with the rest.
    lcp.add(typeof content === 'string' ? content : '');
    // The prefix only shrinks: once too short, the rest of the input cannot change the answer.
    if (lcp.value.length < minChars) return '';
  }
  return lcp.count >= 2 ? cutAtWordBoundary(lcp.value, minChars) : '';
}

export default defineStage<CleanParams>({
  type: 'clean',
  version: 3,
  description: 'Normalize, drop and deduplicate chat examples with named rules',
  inputs: ['input', 'holdout'],
  volatileParams: ['threads'],
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'the cleaned examples' },
    report: { kind: 'file', ext: '.json', description: 'per rule: how many examples it fixed or dropped, with up to 5 example lines' },
    dropped: { kind: 'file', ext: '.jsonl', description: 'every dropped example with its rule, file:line and, for duplicates, the file:line it repeats' },
  },
  async run(ctx) {
    const { fix = true, max_tokens, on_over_limit = 'drop', model = 'gpt-4o-mini', on_error = 'fail', min_prefix_chars = 20 } = ctx.params;
    const holdout = ctx.params.holdout === undefined ? [] : inputPaths(ctx.params.holdout, 'holdout');
    const enabled = new Set(ctx.params.rules ?? [...defaultRules, ...(holdout.length > 0 ? (['leakage'] as const) : [])]);
    const unknown = [...enabled].filter((id) => !(rules.ruleIds as readonly string[]).includes(id));
    if (unknown.length > 0) throw new FtpipeError(`unknown clean rule(s): ${unknown.join(', ')}`, 'PARAM_INVALID', { hint: `known rules: ${rules.ruleIds.join(', ')}` });
    if (enabled.has('leakage') && holdout.length === 0) throw new FtpipeError('the leakage rule needs a "holdout" param', 'PARAM_INVALID', { hint: 'set holdout: data/validation.jsonl (the examples that must not also be in the training data)' });
    const encoding = encodingFor(model);
    const log = new FindingLog();
    const tally = new RuleTally();
    const files = inputPaths(ctx.params.input);
    const duplicates = new DuplicateRules(enabled, files, holdout);
    const holdoutExamples = await duplicates.loadHoldout({ signal: ctx.signal, maxLineBytes: ctx.params.max_line_bytes, onProblem: (f) => log.add(f) });
    const writer = new JsonlWriter(ctx.output('data'));
    const droppedWriter = new JsonlWriter(ctx.output('dropped'));
    /** Counts a dropping rule's hit and lists the example it drops (or would, with fix: false). */
    const drop = async (rule: string, record: DataRecord, detail: string, original: ChatExample, duplicateOf?: { file: string; line: number }) => {
      tally.hit(rule, record, detail, duplicateOf);
      await droppedWriter.write({ rule, file: record.file, line: record.line, detail, ...(duplicateOf && { duplicate_of: duplicateOf }), example: original });
    };
    const wanted = { tokens: enabled.has('max-tokens') && max_tokens !== undefined, digests: duplicates.active, canonicalExact: duplicates.canonicalExact };
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    // Token counting and the dedupe digests are the expensive part: they run in a worker thread while
    // this one parses, applies the other rules and writes.
    const prefix = enabled.has('strip-common-prefix') ? await findCommonPrefix(files, enabled, min_prefix_chars, ctx.signal, ctx.params.max_line_bytes) : '';
    const pool = wanted.tokens || wanted.digests ? new AnalyzerPool(encoding, ctx.params.threads ?? defaultWorkerThreads(bytes)) : undefined;
    const inFlight: Array<{ batch: Pending[]; facts: Promise<ExampleFacts> | null }> = [];
    let read = 0;

    /** The rules after max-tokens need every earlier example decided: they run in input order. */
    const finish = async (item: Pending, total: number, digests: Uint8Array) => {
      const { record } = item;
      if (item.dropped) {
        await writeAsRead(writer, item.record);
        return;
      }
      if (total >= 0 && total > max_tokens!) {
        if (on_over_limit === 'fail') {
          throw new FtpipeError(`example has ${total} tokens > max_tokens ${max_tokens}`, 'DATA_OVER_LIMIT', { location: { file: record.file, line: record.line }, hint: 'shorten the example, raise max_tokens, or set on_over_limit: drop' });
        }
        await drop('max-tokens', record, `${total} tokens > max_tokens ${max_tokens}`, item.original);
        if (!fix) await writeAsRead(writer, item.record);
        return;
      }
      const duplicate = duplicates.active ? duplicates.check(digests, record) : null;
      if (duplicate) await drop(duplicate.rule, record, duplicate.detail, item.original, duplicate.duplicateOf);
      if (!fix) await writeAsRead(writer, item.record);
      else if (!duplicate) await (item.example === item.original ? writeAsRead(writer, record) : writer.writeJsonText(item.json));
    };
    const drainOne = async () => {
      const { batch, facts } = inFlight.shift()!;
      const { totals, digests } = facts ? await facts : { totals: null, digests: null };
      for (let i = 0, at = 0; i < batch.length; i++) {
        // Facts exist only for examples still in play (item.dropped ones were left out of the batch sent).
        if (batch[i].dropped) await finish(batch[i], -1, EMPTY);
        else {
          await finish(batch[i], totals ? totals[at] : -1, digests ? digests.subarray(at * FACT_DIGEST_BYTES, (at + 1) * FACT_DIGEST_BYTES) : EMPTY);
          at++;
        }
      }
    };
    let batch: Pending[] = [];
    const flushBatch = async () => {
      if (batch.length === 0) return;
      const live = batch.filter((p) => !p.dropped);
      inFlight.push({ batch, facts: pool ? pool.facts(live.map((p) => p.json), live.map((p) => p.example), wanted) : null });
      batch = [];
      while (inFlight.length > (pool && pool.threads > 0 ? Math.max(MAX_IN_FLIGHT, 2 * pool.threads) : 0)) await drainOne();
    };
    // With on_error: fail, a broken row stops the stage only once every example before it is done,
    // so an earlier over-limit example fails first, as it would one example at a time.
    let failure: Finding | undefined;
    const onProblem = problemHandler(log, on_error);
    try {
      for await (const record of readRecords(files, { onProblem: (f) => (f.severity === 'error' && on_error === 'fail' ? (failure ??= f) : failure || onProblem(f)), signal: ctx.signal, maxLineBytes: ctx.params.max_line_bytes })) {
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
        let earlyDrop: [rules.RuleId, string] | undefined;
        let example = applyEarlyRules(original, enabled, (id, outcome) => {
          if (outcome.action === 'drop') earlyDrop = [id, outcome.reason];
          else tally.hit(id, record, 'fixed');
        });
        if (earlyDrop) await drop(earlyDrop[0], record, earlyDrop[1], original);
        if (example && prefix !== '') {
          const outcome = rules.stripCommonPrefix(example, prefix, { trimStart: enabled.has('normalize-whitespace') });
          if (outcome.action === 'empty') {
            log.add({ kind: 'prefix_only_message', severity: 'warning', file: record.file, line: record.line, message: `first user message is only the common prefix (${prefix.length} chars): kept as is` });
          } else if (outcome.action === 'fixed') {
            tally.hit('strip-common-prefix', record, `stripped ${prefix.length}-char common prefix`);
            example = outcome.example;
          }
        }
        if (!example) {
          // Nothing later looks at it; with fix: false its original still takes its place in the output.
          if (!fix) batch.push({ record, original, example: original, json: '', dropped: true });
        } else {
          // An example no rule changed is written as it was read (one JSONL line): byte-for-byte, and no re-serializing.
          const json = example === original ? asRead(record) : JSON.stringify(example);
          batch.push({ record, original, example, json, dropped: false });
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
      await droppedWriter.close();
    }
    const ruleReport: Record<string, object> = tally.report([...enabled]);
    if (enabled.has('strip-common-prefix')) {
      // The prefix as found (its first 200 characters; prefix_chars is its full length).
      const shown = [...prefix].slice(0, REPORT_PREFIX_CHARS).join('');
      ruleReport['strip-common-prefix'] = { ...ruleReport['strip-common-prefix'], prefix: shown, prefix_chars: prefix.length, min_prefix_chars };
    }
    if (enabled.has('leakage')) ruleReport.leakage = { ...ruleReport.leakage, holdout_examples: holdoutExamples };
    await writeJson(ctx.output('report'), { fix, examples_in: read, examples_out: writer.count, examples_dropped: droppedWriter.count, rules: ruleReport, ...findingsReport(log) });
    const changes = tally.summary();
    return { summary: `${writer.count.toLocaleString('en-US')} of ${read.toLocaleString('en-US')} examples kept${fix ? '' : ' (fix: false, report only)'}${changes ? `; ${changes}` : ''} (${files.map((f) => inputLabel(f)).join(', ')})` };
  },
});
