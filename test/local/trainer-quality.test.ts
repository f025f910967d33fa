/**
 * The trainer learns from real data (loghub log lines): the loss falls, and on held-out lines the
 * fine-tuned model beats the base model (which answers one fixed sentence and so scores 0).
 */
import { describe, expect, it } from 'vitest';
import { TrainingRun, chooseKind, type TrainingExample, type StepMetrics } from '../../src/local/trainer/training-run.js';
import { LoadedModel } from '../../src/local/trainer/trained-model.js';
import { resolveHyperparameters } from '../../src/local/trainer/hyperparameters.js';
import { promptText } from '../../src/local/trainer/features.js';
import { baseModelAnswer } from '../../src/local/chat/answer.js';
import { logSourceExamples, loghubRows, chat, type ChatExample } from './helpers/loghub-examples.js';

function toTraining(examples: ChatExample[]): TrainingExample[] {
  return examples.map((e) => ({ prompt: promptText(e.messages.slice(0, -1)), answer: e.messages.at(-1)!.content }));
}

function train(trainSet: TrainingExample[], validSet: TrainingExample[], hyper = resolveHyperparameters({}, trainSet.length), seed = 1) {
  const run = new TrainingRun(trainSet, validSet, hyper, seed);
  const steps: StepMetrics[] = [];
  while (!run.done) steps.push(run.step());
  return { run, steps, model: new LoadedModel({ id: 'ft:test', base: 'gpt-4o-mini', created: 0, jobId: 'ftjob-test', body: run.snapshot() }) };
}

function accuracy(answer: (messages: ChatExample['messages']) => string, heldOut: ChatExample[]): number {
  return heldOut.filter((e) => answer(e.messages.slice(0, -1)) === e.messages.at(-1)!.content).length / heldOut.length;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('softmax classifier on "which system wrote this log line"', () => {
  const trainSet = logSourceExamples({ perSystem: 50, step: 13 });
  const heldOut = logSourceExamples({ perSystem: 25, offset: 6, step: 17 });

  it('loss falls, validation is really scored, and it beats the base model on held-out lines', () => {
    const started = Date.now();
    const { steps, model, run } = train(toTraining(trainSet), toTraining(heldOut.slice(0, 60)));
    const trainMs = Date.now() - started;
    expect(run.kind).toBe('classifier');
    const tenth = Math.max(1, Math.floor(steps.length / 10));
    const early = mean(steps.slice(0, tenth).map((s) => s.train_loss));
    const late = mean(steps.slice(-tenth).map((s) => s.train_loss));
    expect(late).toBeLessThan(early * 0.5);
    expect(steps.at(-1)!.valid_loss).toBeLessThan(steps[0].valid_loss!);
    const tuned = accuracy((m) => model.answer(m, { temperature: 0 }), heldOut);
    const base = accuracy(() => baseModelAnswer('gpt-4o-mini'), heldOut);
    console.log(`log source: ${trainSet.length} examples, ${steps.length} steps in ${trainMs} ms; loss ${early.toFixed(3)} → ${late.toFixed(3)}; held-out accuracy fine-tuned ${tuned.toFixed(3)} vs base ${base}`);
    expect(tuned).toBeGreaterThan(0.85);
    expect(base).toBe(0);
  });

  it('is deterministic for a seed, and the hyperparameters change the training', () => {
    const a = train(toTraining(trainSet), [], { n_epochs: 2, batch_size: 4, learning_rate_multiplier: 1 }, 5);
    const b = train(toTraining(trainSet), [], { n_epochs: 2, batch_size: 4, learning_rate_multiplier: 1 }, 5);
    expect(b.steps).toEqual(a.steps);
    const slower = train(toTraining(trainSet), [], { n_epochs: 2, batch_size: 4, learning_rate_multiplier: 0.1 }, 5);
    expect(mean(slower.steps.slice(-10).map((s) => s.train_loss))).toBeGreaterThan(mean(a.steps.slice(-10).map((s) => s.train_loss)));
    const bigBatch = train(toTraining(trainSet), [], { n_epochs: 2, batch_size: 30, learning_rate_multiplier: 1 }, 5);
    expect(bigBatch.steps).toHaveLength(20);
  });

  it('samples from the softmax when temperature > 0, reproducibly by seed', () => {
    const { model } = train(toTraining(trainSet), []);
    const question = heldOut[0].messages.slice(0, -1);
    const hot = Array.from({ length: 30 }, (_, seed) => model.answer(question, { temperature: 2, seed }));
    expect(new Set(hot).size).toBeGreaterThan(1);
    expect(model.answer(question, { temperature: 2, seed: 3 })).toBe(hot[3]);
  });
});

describe('nearest-neighbour retriever on free-form answers', () => {
  // "Give the event template of this BGL line": over 50 distinct templates, so answers are retrieved.
  const rows = loghubRows('BGL');
  const examples = rows.map((row) => chat('Give the event template of this log line.', row.Content, row.EventTemplate));
  const trainSet = examples.filter((_, i) => i % 4 !== 0).slice(0, 600);
  const heldOut = examples.filter((_, i) => i % 4 === 0).slice(0, 200);

  it('is chosen for free-form answers, its loss falls over the first epoch, and it beats the base model', () => {
    expect(chooseKind(toTraining(trainSet))).toBe('retriever');
    const started = Date.now();
    const { steps, model } = train(toTraining(trainSet), [], { n_epochs: 1, batch_size: 20, learning_rate_multiplier: 1 });
    const trainMs = Date.now() - started;
    const early = mean(steps.slice(0, 3).map((s) => s.train_loss));
    const late = mean(steps.slice(-3).map((s) => s.train_loss));
    expect(late).toBeLessThan(early);
    const tuned = accuracy((m) => model.answer(m, { temperature: 0 }), heldOut);
    console.log(`BGL templates: ${trainSet.length} examples in ${trainMs} ms; loss ${early.toFixed(3)} → ${late.toFixed(3)}; held-out exact-match fine-tuned ${tuned.toFixed(3)} vs base 0`);
    expect(tuned).toBeGreaterThan(0.6);
  });
});
