import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readModelGradedSpec, type ModelGradedSpec } from '../../src/eval/modelgraded-spec.js';
import { FormatError } from '../../src/eval/python-format.js';
import { toEvalSample } from '../../src/eval/eval-sample.js';
import { choiceScore, graderMessages, invalidChoice, readChoice } from '../../src/eval/modelgraded-grading.js';
import { loadCompare } from '../../src/eval/custom-compare.js';

const fixtures = join(import.meta.dirname, '../fixtures/eval');

describe('model-graded spec', () => {
  it('reads an openai/evals spec file', async () => {
    const spec = await readModelGradedSpec(join(fixtures, 'json_error_categorization.yaml'));
    expect(spec.name).toBe('json_error_categorization');
    expect(spec.choiceStrings).toEqual(['Y', 'P', 'N']);
    expect(spec.choiceScores).toEqual({ Y: 1, P: 0.5, N: 0 });
    expect(spec.evalType).toBe('cot_classify');
    expect(spec.fields).toEqual(['input', 'ideal', 'completion']);
  });

  it("loads openai/evals' own registry specs unmodified: fact (no choice_scores), closedqa, battle", async () => {
    const fact = await readModelGradedSpec(join(fixtures, 'openai-evals/fact.yaml'));
    expect(fact).toMatchObject({ choiceStrings: ['A', 'B', 'C', 'D', 'E'], choiceScores: null, evalType: undefined, inputOutputs: { input: 'completion' } });
    expect(choiceScore('A', fact)).toBeNull(); // classify_utils.py get_choice_score(): None without choice_scores
    expect((await readModelGradedSpec(join(fixtures, 'openai-evals/fact.yaml'), { choiceScores: { A: 1, B: 1, C: 1, D: 0, E: 1 } })).choiceScores).toMatchObject({ D: 0 });
    const closedqa = await readModelGradedSpec(join(fixtures, 'openai-evals/closedqa.yaml'));
    expect(closedqa).toMatchObject({ evalType: 'cot_classify', choiceScores: { Y: 1, N: 0 }, fields: ['input', 'completion', 'criteria'] });
    const battle = await readModelGradedSpec(join(fixtures, 'openai-evals/battle.yaml'));
    expect(battle.inputOutputs).toEqual({ input1: 'completion1', input2: 'completion2' });
  });

  // Expected texts are what openai/evals 3.0.1 renders for the same inputs: evals/elsuite/utils.py
  // format_necessary() + scrub_formatting_from_prompt(), evals/prompt/base.py chat_prompt_to_text_prompt().
  it('renders the grader prompt as openai/evals does: single-message input, list ideals, {{ }}, doubled input braces', () => {
    const spec = { ...specOf('In: {input}\nIdeal: {ideal}\nGot: {completion}\nLiteral {{"a": 1}}'), inputOutputs: { input: 'completion' } };
    const single = graderMessages({ spec, sample: { input: [{ role: 'user', content: 'EXT4-fs error {sda1}' }], ideal: ['disk', "it's"] }, answers: { completion: '{"c": 1}' } });
    expect(single[0].content).toBe('In: EXT4-fs error {{sda1}}\nIdeal: [\'disk\', "it\'s"]\nGot: {"c": 1}\nLiteral {"a": 1}');
    const chat = [
      { role: 'system', content: 'Categorise.' },
      { role: 'user', content: 'kernel: EXT4' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'more', name: 'example_user' },
    ];
    expect(graderMessages({ spec, sample: { input: chat, ideal: 'x' }, answers: { completion: '{"c": 1}' } })[0].content).toBe('In: Categorise.\nUser: kernel: EXT4\nAssistant: ok\nUser: more\n\nIdeal: x\nGot: {"c": 1}\nLiteral {"a": 1}');
    // A string input is formatted as written (braces doubled all the same).
    expect(graderMessages({ spec: { ...specOf('Q: {input}'), inputOutputs: { input: 'completion' } }, sample: { input: 'a {b} c' }, answers: {} })[0].content).toBe('Q: a {{b}} c');
  });

  it('an unknown {placeholder} or a lone brace is an error, never sent as text', async () => {
    expect(() => graderMessages({ spec: specOf('x {nope} y'), sample: { input: 'a' }, answers: {} })).toThrow(FormatError);
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-spec-'));
    const lone = join(dir, 'lone.yaml');
    writeFileSync(lone, 'fact:\n  prompt: "{input} then a } alone"\n  choice_strings: [A, B]\n  input_outputs: {input: completion}\n');
    await expect(readModelGradedSpec(lone)).rejects.toMatchObject({ code: 'EVAL_SPEC_INVALID', message: expect.stringContaining("Single '}' encountered") });
  });

  it("appends classify_utils.py's answer prompt when the eval has an eval_type", () => {
    const [message] = graderMessages({ spec: specOf('P'), sample: {}, answers: {}, appendFor: 'classify' });
    expect(message.content).toBe('P\n\nAnswer the question by printing only a single choice from "Y" or "N" (without quotes or punctuation) corresponding to the correct answer with no other text.');
  });

  it('parses the choice like classify_utils.py get_choice(): last line first for cot_classify, Python strip', () => {
    const choices = { choiceStrings: ['Y', 'P', 'N'], matchFn: 'starts_or_endswith' as const };
    const reasoning = 'Both name the disk.\nPerhaps the component differs?\n\nY.\n';
    expect(readChoice(reasoning, { ...choices, evalType: 'cot_classify' })).toBe('Y');
    expect(readChoice('N\nBecause the category differs. Y', { ...choices, evalType: 'classify_cot' })).toBe('N');
    expect(readChoice('"P"', { ...choices, evalType: 'classify' })).toBe('P');
    expect(readChoice('\x85N\x1c', { ...choices, matchFn: 'exact', evalType: 'classify' })).toBe('N');
    expect(readChoice('I cannot tell', { ...choices, evalType: 'classify' })).toBe(invalidChoice);
    expect(choiceScore(invalidChoice, { choiceScores: { Y: 1, P: 0.5, N: 0 } })).toBe(0);
    expect(choiceScore('P', { choiceScores: { Y: 1, P: 0.5, N: 0 } })).toBe(0.5);
  });

  it('rejects fields openai/evals ignores, and choices with punctuation, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-spec-'));
    const moved = join(dir, 'moved.yaml');
    writeFileSync(moved, 'fact:\n  prompt: "{input} {completion}"\n  choice_strings: [A, B]\n  input_outputs: {input: completion}\n  match_fn: exact\n');
    await expect(readModelGradedSpec(moved)).rejects.toMatchObject({ code: 'EVAL_SPEC_INVALID', message: expect.stringContaining('moved.yaml: fact: unknown field match_fn'), hint: expect.stringContaining('stage params match_fn') });
    const punct = join(dir, 'punct.yaml');
    writeFileSync(punct, 'fact:\n  prompt: x\n  choice_strings: ["A.", B]\n  choice_scores: {"A.": 1, B: 0}\n  input_outputs: {input: completion}\n');
    await expect(readModelGradedSpec(punct)).rejects.toMatchObject({ message: expect.stringContaining('contains punctuation') });
  });

  it('a string input is one system message, as openai/evals sends a text prompt to a chat model', () => {
    expect(toEvalSample({ input: 'What is 2+2?', ideal: '4' }, 's.jsonl', 1).input).toEqual([{ role: 'system', content: 'What is 2+2?' }]);
  });
});

function specOf(prompt: string): ModelGradedSpec {
  return { name: 't', file: 't.yaml', prompt: [{ role: 'user', content: prompt }], choiceStrings: ['Y', 'N'], choiceScores: { Y: 1, N: 0 }, inputOutputs: { input: 'completion' }, evalType: 'classify', fields: [] };
}

describe('custom compare module', () => {
  it('loads compare(prediction, ideal, sample) and maps booleans to 1/0, keeps fractions', async () => {
    const compare = await loadCompare(join(fixtures, 'compare-trimmed.mjs'));
    const sample = { input: 'x', ideal: 'Paris' };
    expect(await compare('  paris ', 'Paris', sample)).toBe(1);
    expect(await compare('It is Paris.', 'Paris', sample)).toBe(0.5);
    expect(await compare('Lyon', 'Paris', sample)).toBe(0);
  });
  it('rejects a missing module and an out-of-range result with a clear error', async () => {
    await expect(loadCompare(join(fixtures, 'nope.mjs'))).rejects.toMatchObject({ code: 'EVAL_COMPARE_INVALID' });
    const bad = await loadCompare(join(fixtures, 'compare-bad-return.mjs'));
    await expect(bad('a', 'b', {})).rejects.toMatchObject({ message: expect.stringContaining('compare() returned 7') });
  });
});
