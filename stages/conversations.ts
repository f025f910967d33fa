/**
 * ShareGPT conversations ({id?, system?, conversations: [{from, value}]}) → chat examples
 * ({"messages": [...]}), as the original data_process.py did, for whole multi-turn conversations.
 */
import { defineStage } from '../src/stage/types.js';
import { inputPaths } from '../src/data/input-paths.js';
import { readRecords } from '../src/data/records.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { FindingLog, findingsReport, problemHandler, rowProblem, type OnError } from '../src/data/findings.js';
import { convertConversation, type LeadingAssistant, type TaskType } from '../src/data/sharegpt.js';
import { quoteInput } from '../src/data/quoted-input.js';

interface ConversationsParams {
  input: string | string[];
  sys_prompt?: string;
  task_type?: TaskType;
  on_error?: OnError;
  on_leading_assistant?: LeadingAssistant;
  max_line_bytes?: number;
}

export default defineStage<ConversationsParams>({
  type: 'conversations',
  version: 2,
  description: 'ShareGPT conversations (JSON array or JSONL) to chat fine-tuning examples',
  inputs: ['input'],
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'chat examples, one {"messages": [...]} per line' },
    report: { kind: 'file', ext: '.json', description: 'counts and the records that were skipped, with file:line' },
  },
  async run(ctx) {
    const { sys_prompt, task_type = 'answering', on_error = 'fail', on_leading_assistant = 'drop' } = ctx.params;
    const log = new FindingLog();
    const writer = new JsonlWriter(ctx.output('data'));
    let read = 0;
    try {
      for await (const record of readRecords(inputPaths(ctx.params.input), { onProblem: problemHandler(log, on_error), signal: ctx.signal, maxLineBytes: ctx.params.max_line_bytes })) {
        read++;
        const result = convertConversation(record.value, { sysPrompt: sys_prompt, taskType: task_type, onLeadingAssistant: on_leading_assistant });
        if ('problem' in result) {
          const id = result.id !== undefined ? ` (id ${quoteInput(typeof result.id === 'string' ? result.id : JSON.stringify(result.id), 80)})` : '';
          const hint = result.kind === 'leading_assistant' ? 'set on_leading_assistant: drop to drop such turns as FastChat does, or on_error: skip to drop the conversation' : undefined;
          rowProblem(log, { kind: result.kind, severity: 'error', file: record.file, line: record.line, message: `record ${record.index}${id}: ${result.problem}` }, on_error, hint);
          continue;
        }
        for (const note of result.notes) log.add({ kind: note.kind, severity: 'warning', file: record.file, line: record.line, message: `record ${record.index}: ${note.message}` });
        await writer.write(result.example);
        if (read % 10_000 === 0) ctx.progress.update({ done: read });
      }
    } finally {
      await writer.close();
    }
    const skipped = read - writer.count;
    await writeJson(ctx.output('report'), { records: read, examples: writer.count, skipped, task_type, ...findingsReport(log) });
    return { summary: `${writer.count.toLocaleString('en-US')} examples from ${read.toLocaleString('en-US')} conversations${skipped ? `, ${skipped} skipped` : ''}` };
  },
});
