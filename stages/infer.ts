/**
 * Asks a (fine-tuned) model: one user_input, or every input of a file (chat examples with the last
 * assistant answer held back as `expected`, or {"input": ...} lines). Writes one JSONL row per input.
 */
import { defineStage } from '../src/stage/types.js';
import { FtpipeError, ExitCode } from '../src/errors.js';
import { JsonlWriter } from '../src/data/jsonl-writer.js';
import { promptFor, readInferInputs } from '../src/remote/infer-inputs.js';
import { runInference, type InferResult } from '../src/remote/inference.js';
import { inferRowOf } from '../src/remote/infer-row.js';
import { modelCallActions } from '../src/remote/model-call-actions.js';

interface InferParams {
  model: string;
  sys_prompt?: string;
  user_input?: string;
  input?: string;
  max_tokens?: number;
  temperature?: number;
  concurrency?: number;
  teardown?: boolean;
}

export default defineStage<InferParams>({
  type: 'infer',
  version: 1,
  description: 'Run prompts through a model (e.g. the fine-tuned one) and record the completions',
  inputs: ['input'],
  usesProvider: true,
  // Pays per request; on Azure a fine-tuned model is deployed first (hosting is billed by the hour).
  paidActions: modelCallActions,
  volatileParams: ['concurrency'],
  outputs: {
    data: { kind: 'file', ext: '.jsonl', description: 'one row per input: messages, completion, expected' },
    completion: { kind: 'value', optional: true, description: 'the completion, when a single user_input was given' },
  },
  async run(ctx) {
    const p = ctx.params;
    if ((p.user_input === undefined) === (p.input === undefined)) {
      throw new FtpipeError('infer needs exactly one of user_input or input', 'PARAM_INVALID', { stage: ctx.id, exitCode: ExitCode.usage, hint: 'user_input: "a question", or input: a JSONL file of chat examples or {"input": ...} lines' });
    }
    const inputs = p.input !== undefined ? readInferInputs(p.input, { sysPrompt: p.sys_prompt, signal: ctx.signal }) : [{ messages: promptFor(p.sys_prompt, p.user_input!), expected: null }];
    const writer = new JsonlWriter(ctx.output('data'));
    let single: InferResult | undefined;
    let finishedByLength = 0;
    const { count } = await runInference({
      provider: await ctx.provider(),
      model: p.model,
      inputs,
      maxTokens: p.max_tokens,
      temperature: p.temperature,
      concurrency: p.concurrency,
      teardown: p.teardown,
      signal: ctx.signal,
      log: (m) => ctx.log.info(m),
      onResult: async (result) => {
        single = result;
        if (result.finishReason === 'length') finishedByLength++;
        await writer.write(inferRowOf(result));
        ctx.progress.update({ done: writer.count });
      },
    });
    await writer.close();
    if (finishedByLength) ctx.log.warn(`${finishedByLength} completion(s) stopped at max_tokens`);
    if (p.user_input !== undefined && single) return { values: { completion: single.completion }, summary: oneLine(single.completion) };
    return { summary: `${count} completion(s) from ${p.model}` };
  },
});

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}
