/**
 * Cleans chat examples with named rules (see src/data/clean-rules.ts). With fix: false nothing is
 * changed or dropped: the report says what would be.
 */
import { basename } from 'node:path';
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { encodingFor } from '../src/models/catalog.js';
import { inputPaths } from '../src/data/input-paths.js';
import { readRecords } from '../src/data/records.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { FindingLog, findingsReport, problemHandler, rowProblem, type OnError } from '../src/data/findings.js';
import { chatShapeProblem, type ChatExample } from '../src/data/chat-example.js';
import * as rules from '../src/data/clean-rules.js';
import { RuleTally } from '../src/data/rule-tally.js';

interface CleanParams {
  input: string | string[];
  rules?: rules.RuleId[];
  fix?: boolean;
  max_tokens?: number;
  on_over_limit?: 'drop' | 'fail';
  model?: string;
  on_error?: OnError;
}

const defaultRules: rules.RuleId[] = ['normalize-line-endings', 'normalize-whitespace', 'drop-empty-message', 'drop-empty-example', 'require-assistant', 'max-tokens', 'dedupe-exact', 'dedupe-normalized'];

export default defineStage<CleanParams>({
  type: 'clean',
  version: 1,
  description: 'Normalize, drop and deduplicate chat examples with named rules',
  inputs: ['input'],
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
    let read = 0;
    try {
      for await (const record of readRecords(inputPaths(ctx.params.input), { onProblem: problemHandler(log, on_error), signal: ctx.signal })) {
        read++;
        const problem = chatShapeProblem(record.value);
        if (problem) {
          rowProblem(log, { kind: 'not_chat_example', severity: 'error', file: record.file, line: record.line, message: problem }, on_error);
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
        if (enabled.has('max-tokens') && max_tokens !== undefined && !dropped) {
          const outcome = rules.maxTokens(example, max_tokens, encoding);
          if (outcome.action === 'drop' && on_over_limit === 'fail') {
            throw new FtpipeError(`${record.file}:${record.line}: example has ${outcome.reason}`, 'DATA_OVER_LIMIT', { location: { file: record.file, line: record.line }, hint: 'shorten the example, raise max_tokens, or set on_over_limit: drop' });
          }
          apply('max-tokens', outcome);
        }
        if (enabled.has('dedupe-exact') && !dropped && exact.check(rules.exactKey(example))) apply('dedupe-exact', { action: 'drop', reason: 'exact duplicate of an earlier example' });
        if (enabled.has('dedupe-normalized') && !dropped && normalized.check(rules.normalizedKey(example))) apply('dedupe-normalized', { action: 'drop', reason: 'duplicate of an earlier example up to case and spacing' });
        if (!fix) await writer.write(original);
        else if (!dropped) await writer.write(example);
        if (read % 10_000 === 0) ctx.progress.update({ done: read });
      }
    } finally {
      await writer.close();
    }
    await writeJson(ctx.output('report'), { fix, examples_in: read, examples_out: writer.count, rules: tally.report([...enabled]), ...findingsReport(log) });
    const changes = tally.summary();
    return { summary: `${writer.count.toLocaleString('en-US')} of ${read.toLocaleString('en-US')} examples kept${fix ? '' : ' (fix: false, report only)'}${changes ? `; ${changes}` : ''} (${inputPaths(ctx.params.input).map((f) => basename(f)).join(', ')})` };
  },
});
