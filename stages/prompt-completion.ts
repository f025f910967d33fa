/**
 * Legacy {"prompt", "completion"} examples ↔ chat examples. The old format marked the end of a prompt
 * with a separator (e.g. "\n\n###\n\n") and the end of a completion with a stop sequence (e.g. " END"),
 * and began completions with a space: to-chat strips them, to-prompt-completion adds them.
 */
import { defineStage } from '../src/stage/types.js';
import { inputPaths } from '../src/data/input-paths.js';
import { readRecords } from '../src/data/records.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { FindingLog, findingsReport, problemHandler, rowProblem, type OnError } from '../src/data/findings.js';
import { chatToPromptCompletion, promptCompletionToChat, type PromptCompletionOptions } from '../src/data/prompt-completion.js';

interface PromptCompletionParams {
  input: string | string[];
  direction?: 'to-chat' | 'to-prompt-completion';
  sys_prompt?: string;
  separator?: string;
  stop?: string;
  leading_space?: boolean;
  on_error?: OnError;
  max_line_bytes?: number;
}

export default defineStage<PromptCompletionParams>({
  type: 'prompt-completion',
  version: 1,
  description: 'Convert legacy prompt/completion examples to chat messages, or back',
  inputs: ['input'],
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'the converted examples' },
    report: { kind: 'file', ext: '.json', description: 'counts and skipped rows with file:line' },
  },
  async run(ctx) {
    const { direction = 'to-chat', on_error = 'fail' } = ctx.params;
    const options: PromptCompletionOptions = { sysPrompt: ctx.params.sys_prompt, separator: ctx.params.separator ?? '', stop: ctx.params.stop ?? '', leadingSpace: ctx.params.leading_space ?? false };
    const convert = direction === 'to-chat' ? promptCompletionToChat : chatToPromptCompletion;
    const log = new FindingLog();
    const writer = new JsonlWriter(ctx.output('data'));
    let read = 0;
    try {
      for await (const record of readRecords(inputPaths(ctx.params.input), { onProblem: problemHandler(log, on_error), signal: ctx.signal, maxLineBytes: ctx.params.max_line_bytes })) {
        read++;
        const result = convert(record.value, options);
        if (typeof result === 'string') {
          rowProblem(log, { kind: 'unconvertible', severity: 'error', file: record.file, line: record.line, message: result }, on_error);
          continue;
        }
        await writer.write(result);
      }
    } finally {
      await writer.close();
    }
    await writeJson(ctx.output('report'), { direction, examples_in: read, examples_out: writer.count, ...findingsReport(log) });
    return { summary: `${writer.count.toLocaleString('en-US')} examples converted ${direction}${read > writer.count ? `, ${read - writer.count} skipped` : ''}` };
  },
});
