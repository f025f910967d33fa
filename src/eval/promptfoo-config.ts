/**
 * A promptfoo config (promptfooconfig.yaml) for the same samples, so a team can take them into
 * promptfoo (OpenAI's hosted Evals close on 2026-11-30 and OpenAI points users to promptfoo).
 * Written streaming: the header once, then one test per sample.
 *
 * Prompts: when every sample is [system?, user] with the same system message, one readable chat
 * prompt with the user message as var `input`; otherwise a generic prompt that sends var `messages`.
 */
import { stringify } from 'yaml';
import type { ChatMessage } from '../providers/types.js';
import { idealList } from './eval-sample.js';
import type { MetricName } from './scorer.js';

export type PromptfooAssert = { type: string; value?: unknown };

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

export function promptfooTest(input: ChatMessage[], ideal: string | string[], metric: MetricName, simplePrompt: boolean, line: number): PromptfooTest {
  const user = input[input.length - 1];
  const vars = simplePrompt ? { input: user.content ?? '' } : { messages: input };
  return { description: `sample at line ${line}`, vars, assert: assertionsFor(ideal, metric) };
}

/** One YAML list item for the `tests:` block. */
export function promptfooTestYaml(test: PromptfooTest): string {
  return stringify([test], { lineWidth: 0 });
}

export function assertionsFor(ideal: string | string[], metric: MetricName): PromptfooAssert[] {
  const ideals = idealList(ideal);
  switch (metric) {
    case 'match':
      return ideals.length === 1 ? [{ type: 'starts-with', value: ideals[0] }] : [{ type: 'javascript', value: `${JSON.stringify(ideals)}.some((ideal) => output.startsWith(ideal))` }];
    case 'includes':
      return ideals.length === 1 ? [{ type: 'contains', value: ideals[0] }] : [{ type: 'contains-any', value: ideals }];
    case 'fuzzy_match':
      return [{ type: 'javascript', value: fuzzyMatchJs(ideals) }];
    case 'json_match':
      return [{ type: 'is-json' }, ...(ideals.length === 1 ? [{ type: 'equals', value: JSON.parse(ideals[0]) }] : [])];
    case 'classification':
      return [{ type: 'javascript', value: labelSetJs(ideals) }];
    case 'modelgraded':
      return [{ type: 'factuality', value: ideals.join('\n') }];
    case 'custom':
    default:
      return [{ type: 'equals', value: ideals[0] }];
  }
}

// Inline JS for promptfoo's `javascript` assertion: `output` is the model's answer.
function fuzzyMatchJs(ideals: string[]): string {
  return [
    `const norm = (s) => s.toLowerCase().replace(/[!"#$%&'()*+,\\-./:;<=>?@[\\\\\\]^_\`{|}~]/g, '').replace(/\\b(a|an|the)\\b/g, ' ').split(/\\s+/).filter(Boolean).join(' ');`,
    `const out = norm(output);`,
    `return ${JSON.stringify(ideals)}.some((ideal) => { const i = norm(ideal); return out === '' || i === '' ? out === i : out.includes(i) || i.includes(out); });`,
  ].join('\n');
}

function labelSetJs(ideals: string[]): string {
  return [
    `const labels = (s) => { const t = s.trim().replace(/^\\[|\\]$/g, ''); const q = [...t.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]); return [...new Set((q.length ? q : t.split(',')).map((l) => l.trim()).filter(Boolean))].sort().join('\\n'); };`,
    `return ${JSON.stringify(ideals)}.some((ideal) => labels(ideal) === labels(output));`,
  ].join('\n');
}
