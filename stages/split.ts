/**
 * Splits examples into train and validation, deterministically: each example's place comes from a
 * hash of the seed and its normalized content (key order, case and spacing do not matter), so
 * duplicates always land on the same side; the report counts any example text found on both sides. By ratio
 * (unstratified) an example goes to validation when its hash falls under the ratio, so appending
 * examples never moves existing ones. Stratified splits and count splits rank hashes per label (two
 * passes over the input) to hit the proportions exactly; an append can move an example at a boundary.
 */
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { inputPaths } from '../src/data/input-paths.js';
import { readRecords } from '../src/data/records.js';
import { JsonlWriter, writeJson } from '../src/data/jsonl-writer.js';
import { FindingLog, findingsReport, problemHandler, rowProblem, type OnError } from '../src/data/findings.js';
import { chatShapeProblem, lastAssistantContent, type ChatExample } from '../src/data/chat-example.js';
import { splitDigest, splitScore, validationThresholds } from '../src/data/split-plan.js';
import { DigestSet } from '../src/data/digest-set.js';

interface SplitParams {
  input: string | string[];
  validation_ratio?: number;
  validation_count?: number;
  seed?: number | string;
  stratify?: boolean;
  task_type?: 'answering' | 'classification';
  on_error?: OnError;
  max_line_bytes?: number;
}

export default defineStage<SplitParams>({
  type: 'split',
  version: 2,
  description: 'Deterministic train/validation split (by content hash), optionally stratified by label',
  inputs: ['input'],
  outputs: {
    train: { kind: 'file', ext: '.jsonl', description: 'training examples' },
    validation: { kind: 'file', ext: '.jsonl', description: 'validation examples' },
    report: { kind: 'file', ext: '.json', description: 'counts and the label distribution of each side' },
  },
  async run(ctx) {
    const { validation_ratio, validation_count, seed = 0, on_error = 'fail' } = ctx.params;
    if ((validation_ratio === undefined) === (validation_count === undefined)) {
      throw new FtpipeError('split needs exactly one of validation_ratio or validation_count', 'PARAM_INVALID', { hint: 'e.g. validation_ratio: 0.2' });
    }
    const stratify = ctx.params.stratify ?? ctx.params.task_type === 'classification';
    const files = inputPaths(ctx.params.input);
    const log = new FindingLog();
    const labelOf = (example: ChatExample) => (stratify ? (lastAssistantContent(example) ?? '') : '');
    // Pass 1 records its findings in a throwaway log, so each appears once in the report.
    const examples = async function* (findings: FindingLog) {
      for await (const record of readRecords(files, { onProblem: problemHandler(findings, on_error), signal: ctx.signal, maxLineBytes: ctx.params.max_line_bytes })) {
        const problem = chatShapeProblem(record.value);
        if (problem) {
          rowProblem(findings, { kind: 'not_chat_example', severity: 'error', file: record.file, line: record.line, message: problem }, on_error);
          continue;
        }
        const example = record.value as ChatExample;
        const digest = splitDigest(seed, example);
        yield { example, label: labelOf(example), score: splitScore(digest), digest };
      }
    };

    // Pass 1 (ranked splits only): scores per label, a few bytes per example.
    let thresholds: Map<string, number> | null = null;
    if (stratify || validation_count !== undefined) {
      const scores = new Map<string, number[]>();
      for await (const { label, score } of examples(new FindingLog())) {
        let list = scores.get(label);
        if (!list) scores.set(label, (list = []));
        list.push(score);
      }
      thresholds = validationThresholds(scores, { ratio: validation_ratio, count: validation_count });
    }
    const goesToValidation = (label: string, score: number) => (thresholds ? score <= (thresholds.get(label) ?? -1) : score < validation_ratio!);

    const train = new JsonlWriter(ctx.output('train'));
    const validation = new JsonlWriter(ctx.output('validation'));
    const labels: Record<string, { train: number; validation: number }> = {};
    // Which sides each normalized example went to (bit 1: train, 2: validation), to prove no leakage.
    const sides = new DigestSet(1 << 16, 1);
    try {
      for await (const { example, label, score, digest } of examples(log)) {
        const side = goesToValidation(label, score) ? 'validation' : 'train';
        await (side === 'validation' ? validation : train).write(example);
        if (stratify) (labels[label] ??= { train: 0, validation: 0 })[side]++;
        const bit = side === 'train' ? 1 : 2;
        const slot = sides.findOrAdd(digest, bit);
        if (slot >= 0) sides.setValue(slot, 0, sides.value(slot) | bit);
      }
    } finally {
      await train.close();
      await validation.close();
    }
    let leaked = 0;
    sides.forEach((slot) => void (sides.value(slot) === 3 && leaked++));
    // Only a stratified split can put twins on two sides: when their labels differ (e.g. in case).
    if (leaked > 0) log.add({ kind: 'leakage', severity: 'warning', file: files[0], line: 0, message: `${leaked} example(s) are on both sides (twins with different labels in a stratified split)` });
    const report = { train: train.count, validation: validation.count, stratified: stratify, seed, labels: stratify ? labels : undefined, leakage: { examples_on_both_sides: leaked }, ...findingsReport(log) };
    await writeJson(ctx.output('report'), report);
    return { summary: `${train.count.toLocaleString('en-US')} train / ${validation.count.toLocaleString('en-US')} validation${stratify ? `, ${Object.keys(labels).length} labels` : ''}` };
  },
});
