/**
 * Chat examples → openai/evals samples: `{"input": messages[:-1], "ideal": <last assistant content>}`,
 * streaming. Optionally also exports for other tools that score the same samples the same way: a
 * promptfoo config (with ftpipe's scoring as its assertion module) and an Inspect AI task (see docs/eval.md).
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { defineStage } from '../src/stage/types.js';
import { inputPaths } from '../src/data/input-paths.js';
import { readRecords } from '../src/data/records.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { FindingLog, findingsReport, problemHandler, rowProblem, type OnError } from '../src/data/findings.js';
import { chatShapeProblem, contentText, type ChatExample } from '../src/data/chat-example.js';
import { PromptShape, needsAssertionModule } from '../src/eval/promptfoo-config.js';
import { promptfooAssertionModule } from '../src/eval/promptfoo-assertions.js';
import { writePromptfooConfig, writeInspectSamples, type ExportOptions } from '../src/eval/eval-exports.js';
import { inspectMetrics, inspectTaskSource } from '../src/eval/inspect-task.js';
import { parsePythonJson } from '../src/eval/portable-json.js';
import { FtpipeError } from '../src/errors.js';
import type { MetricName } from '../src/eval/scorer.js';
import type { ChatMessage } from '../src/providers/types.js';

interface EvalConvertParams {
  input: string | string[];
  metric?: MetricName;
  ignore_case?: boolean;
  promptfoo?: ExportOptions['promptfoo'];
  inspect?: boolean | { name?: string };
  on_error?: OnError;
}

export default defineStage<EvalConvertParams>({
  type: 'eval-convert',
  version: 2,
  description: 'Chat examples to openai/evals samples (input = all but the last message, ideal = the last answer), optionally a promptfoo config and an Inspect AI task',
  inputs: ['input'],
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'eval samples {input, ideal}' },
    report: { kind: 'file', ext: '.json', description: 'counts and skipped rows' },
    promptfoo: { kind: 'file', ext: '.yaml', optional: true, description: 'promptfooconfig.yaml for the same samples (with promptfoo: true)' },
    promptfoo_assert: { kind: 'file', ext: '.mjs', optional: true, description: "the promptfoo config's assertion module: ftpipe's scoring, so promptfoo scores as the eval stage" },
    inspect_samples: { kind: 'file', ext: '.jsonl', optional: true, description: 'the samples in Inspect AI dataset format (with inspect: true)' },
    inspect_task: { kind: 'file', ext: '.py', optional: true, description: "an Inspect AI task over inspect_samples.jsonl, scored with openai/evals' metric (with inspect: true)" },
  },
  async run(ctx) {
    const { on_error = 'fail', metric = 'match' } = ctx.params;
    if (ctx.params.inspect && !inspectMetrics.includes(metric)) {
      throw new FtpipeError(`the Inspect AI export scores ${inspectMetrics.join(', ')}; metric "${metric}" has no equivalent there`, 'PARAM_INVALID', { hint: 'drop inspect: true, or export with one of those metrics' });
    }
    const log = new FindingLog();
    const writer = new JsonlWriter(ctx.output('data'));
    const shape = new PromptShape();
    try {
      for await (const record of readRecords(inputPaths(ctx.params.input), { onProblem: problemHandler(log, on_error), signal: ctx.signal })) {
        const problem = chatShapeProblem(record.value) ?? lastMessageProblem(record.value as ChatExample);
        if (problem) {
          rowProblem(log, { kind: 'not_eval_example', severity: 'error', file: record.file, line: record.line, message: problem }, on_error);
          continue;
        }
        const messages = (record.value as ChatExample).messages;
        const ideal = contentText(messages[messages.length - 1]);
        // openai/evals' JsonMatch raises on an ideal json.loads cannot read: say which row, before any eval pays for it.
        if (metric === 'json_match' && parsePythonJson(ideal) === undefined) {
          rowProblem(log, { kind: 'ideal_not_json', severity: 'error', file: record.file, line: record.line, message: `the answer ${JSON.stringify(ideal.slice(0, 60))} is not JSON, so metric json_match cannot compare with it` }, on_error);
          continue;
        }
        const input = messages.slice(0, -1);
        shape.observe(input as ChatMessage[]);
        await writer.write({ input, ideal });
      }
    } finally {
      await writer.close();
    }
    const exportOptions = { shape, metric, ignoreCase: ctx.params.ignore_case === true, signal: ctx.signal };
    if (ctx.params.promptfoo) {
      await writePromptfooConfig(ctx.output('data'), ctx.output('promptfoo'), { ...exportOptions, promptfoo: ctx.params.promptfoo });
      if (needsAssertionModule(metric)) await writeFile(ctx.output('promptfoo_assert'), promptfooAssertionModule());
    }
    if (ctx.params.inspect) {
      await writeInspectSamples(ctx.output('data'), ctx.output('inspect_samples'), exportOptions);
      const name = (typeof ctx.params.inspect === 'object' ? ctx.params.inspect.name : undefined) ?? ctx.id;
      await writeFile(ctx.output('inspect_task'), inspectTaskSource({ metric, ignoreCase: exportOptions.ignoreCase, samplesFile: basename(ctx.output('inspect_samples')), taskFile: basename(ctx.output('inspect_task')), name }));
    }
    await writeJson(ctx.output('report'), { samples: writer.count, metric, promptfoo: Boolean(ctx.params.promptfoo), inspect: Boolean(ctx.params.inspect), ...findingsReport(log) });
    const skipped = log.total > 0 ? `, ${log.total} skipped` : '';
    const exports = [ctx.params.promptfoo ? 'promptfooconfig.yaml' : '', ctx.params.inspect ? 'Inspect task' : ''].filter(Boolean);
    return { summary: `${writer.count.toLocaleString('en-US')} eval samples${skipped}${exports.length ? ` + ${exports.join(' + ')}` : ''}` };
  },
});

function lastMessageProblem(example: ChatExample): string | null {
  const last = example.messages[example.messages.length - 1];
  if (!last || last.role !== 'assistant') return `the last message is ${last ? `"${last.role}"` : 'missing'}, not the assistant's answer`;
  if (example.messages.length < 2) return 'an eval sample needs at least one message before the answer';
  return null;
}
