/**
 * One line of a JSONL dataset as the studio shows it: the parsed example (or why it does not parse),
 * its token counts and its label (the last assistant message, what a classifier is trained to say).
 */
import { countExampleTokens, type EncodingName } from '../data/tokens.js';

export interface ExampleRow {
  /** 1-based line number in the file. */
  line: number;
  /** The line's text (without its line ending), for lines that are not valid JSON. */
  text: string;
  example: unknown;
  parseError: string | null;
  tokens: number | null;
  assistantTokens: number | null;
  label: string | null;
}

const BOM = '\uFEFF';

export function exampleRow(line: number, text: string, encoding: EncodingName): ExampleRow {
  const body = line === 1 && text.startsWith(BOM) ? text.slice(1) : text;
  if (body.trim() === '') return { line, text, example: null, parseError: 'blank line', tokens: null, assistantTokens: null, label: null };
  let example: unknown;
  try {
    example = JSON.parse(body);
  } catch (error) {
    return { line, text, example: null, parseError: (error as Error).message, tokens: null, assistantTokens: null, label: null };
  }
  const tokens = countExampleTokens(example, encoding);
  return { line, text, example, parseError: null, tokens: tokens.total, assistantTokens: tokens.assistant, label: exampleLabel(example) };
}

/** The content of the last assistant message (of preferred_output for preference examples). */
export function exampleLabel(example: unknown): string | null {
  if (!example || typeof example !== 'object') return null;
  const value = example as Record<string, unknown>;
  const messages = Array.isArray(value.messages) ? value.messages : Array.isArray(value.preferred_output) ? value.preferred_output : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Record<string, unknown> | null;
    if (m && m.role === 'assistant' && typeof m.content === 'string') return m.content;
  }
  return null;
}
