import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readModelGradedSpec } from '../../src/eval/modelgraded-spec.js';
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
    expect(spec.matchFn).toBe('starts_or_endswith');
  });

  it('fills {input} {ideal} {completion}, leaves other braces, appends the answer prompt', async () => {
    const spec = await readModelGradedSpec(join(fixtures, 'json_error_categorization.yaml'));
    const [message] = graderMessages(spec, {
      input: [
        { role: 'system', content: 'Categorise the log line.' },
        { role: 'user', content: 'kernel: EXT4-fs error' },
      ],
      ideal: '{"category": "disk"}',
      completion: '{"category": "disk", "component": "kernel"}',
    });
    expect(message.role).toBe('user');
    expect(message.content).toContain('[Log line]: Categorise the log line.\nUser: kernel: EXT4-fs error');
    expect(message.content).toContain('[Expert categorisation]: {"category": "disk"}');
    expect(message.content).toContain('[Submitted categorisation]: {"category": "disk", "component": "kernel"}');
    expect(message.content).toContain('"category" (the kind of error)');
    expect(message.content).toMatch(/print only a single choice from "Y" or "P" or "N".*Reasoning:$/s);
  });

  it('parses the choice like openai/evals: last line first for cot_classify, first line for classify', () => {
    const choices = { choiceStrings: ['Y', 'P', 'N'], matchFn: 'starts_or_endswith' as const };
    const reasoning = 'Both name the disk.\nPerhaps the component differs?\n\nY.\n';
    expect(readChoice(reasoning, { ...choices, evalType: 'cot_classify' })).toBe('Y');
    expect(readChoice('N\nBecause the category differs. Y', { ...choices, evalType: 'classify_cot' })).toBe('N');
    expect(readChoice('"P"', { ...choices, evalType: 'classify' })).toBe('P');
    expect(readChoice('I cannot tell', { ...choices, evalType: 'classify' })).toBe(invalidChoice);
    expect(choiceScore(invalidChoice, { choiceScores: { Y: 1, P: 0.5, N: 0 } })).toBe(0);
    expect(choiceScore('P', { choiceScores: { Y: 1, P: 0.5, N: 0 } })).toBe(0.5);
  });

  it('rejects a spec without scores, and choices with punctuation, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-spec-'));
    const noScores = join(dir, 'no-scores.yaml');
    writeFileSync(noScores, 'fact:\n  prompt: "{input} {completion}"\n  choice_strings: [A, B]\n  input_outputs: {input: completion}\n');
    await expect(readModelGradedSpec(noScores)).rejects.toMatchObject({ code: 'EVAL_SPEC_INVALID', message: expect.stringContaining('no-scores.yaml: choice_scores is needed') });
    const punct = join(dir, 'punct.yaml');
    writeFileSync(punct, 'fact:\n  prompt: x\n  choice_strings: ["A.", B]\n  choice_scores: {"A.": 1, B: 0}\n  input_outputs: {input: completion}\n');
    await expect(readModelGradedSpec(punct)).rejects.toMatchObject({ message: expect.stringContaining('contains punctuation') });
  });
});

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
