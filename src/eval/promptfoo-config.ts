/**
 * A promptfoo config (promptfooconfig.yaml) for the same samples, so a team can take them into
 * promptfoo (OpenAI's hosted Evals close on 2026-11-30 and OpenAI points users to promptfoo).
 * Written streaming: the header once, then one test per sample.
 *
 * Prompts: when every sample is [system?, user] with the same system message, one readable chat
 * prompt with the user message as var `input`; otherwise a generic prompt that sends var `messages`.
 * Assertions: the metrics ftpipe scores itself call promptfoo_assert.mjs (ftpipe's own scoring code,
 * promptfoo-assertions.ts) with the ideals in the assertion's `config`, so promptfoo scores each
 * sample as the eval stage does; modelgraded and custom map to promptfoo's nearest assertions.
 */
import { stringify } from 'yaml';
import type { ChatMessage } from '../providers/types.js';
import { idealList } from './eval-sample.js';
import type { MetricName } from './scorer.js';
import { portableMetrics } from './promptfoo-assertions.js';

export type PromptfooAssert = { type: string; value?: unknown; config?: Record<string, unknown> };

/** The assertion module's file name beside promptfooconfig (eval-convert's output promptfoo_assert). */
export const assertionModuleFile = 'promptfoo_assert.mjs';

export interface PromptfooTest {
  description: string;
  vars: Record<string, unknown>;
  assert: PromptfooAssert[];
}

/** The shared system message when all samples share the [system?, user] shape, else null (generic prompt). */
export class PromptShape {
  private system: string | null | undefined = undefined;
  simple = true;

  observe(input: ChatMessage[]): void {
    const [first, second] = input;
    const system = input.length === 2 && first.role === 'system' ? (first.content ?? '') : input.length === 1 ? '' : null;
    const user = input.length === 2 ? second : first;
    if (system === null || user.role !== 'user') this.simple = false;
    else if (this.system === undefined) this.system = system;
    else if (this.system !== system) this.simple = false;
  }

  prompt(): string {
    if (!this.simple) return '{{ messages | dump }}';
    const messages: string[] = [];
    if (this.system) messages.push(`{"role": "system", "content": ${JSON.stringify(this.system)}}`);
    messages.push('{"role": "user", "content": {{ input | dump }}}');
    return `[${messages.join(', ')}]`;
  }
}

export function promptfooHeader(options: { providers: unknown[]; prompt: string; description: string }): string {
  return stringify({ description: options.description, providers: options.providers, prompts: [options.prompt] }, { lineWidth: 0 });
}

export function promptfooTest(input: ChatMessage[], ideal: string | string[], metric: MetricName, simplePrompt: boolean, line: number, options: { ignoreCase?: boolean } = {}): PromptfooTest {
  const user = input[input.length - 1];
  const vars = simplePrompt ? { input: user.content ?? '' } : { messages: input };
  return { description: `sample at line ${line}`, vars, assert: assertionsFor(ideal, metric, options) };
}

/** One YAML list item for the `tests:` block. */
export function promptfooTestYaml(test: PromptfooTest): string {
  return stringify([test], { lineWidth: 0 });
}

export function assertionsFor(ideal: string | string[], metric: MetricName, options: { ignoreCase?: boolean } = {}): PromptfooAssert[] {
  const ideals = idealList(ideal);
  if ((portableMetrics as readonly string[]).includes(metric)) {
    return [{ type: 'javascript', value: `file://${assertionModuleFile}:ftpipeAssert`, config: { metric, ideals, ...(metric === 'includes' && options.ignoreCase ? { ignore_case: true } : {}) } }];
  }
  // promptfoo's own grader prompt differs from the spec's, and a compare module is ftpipe's: nearest equivalents.
  if (metric === 'modelgraded') return [{ type: 'factuality', value: ideals.join('\n') }];
  return [{ type: 'equals', value: ideals[0] }];
}

/** Whether the config needs the assertion module beside it. */
export function needsAssertionModule(metric: MetricName): boolean {
  return (portableMetrics as readonly string[]).includes(metric);
}
