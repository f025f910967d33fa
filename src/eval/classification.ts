/**
 * Classification scores over (ideal, predicted) label sets: accuracy by exact set equality, per-label
 * precision/recall/F1 by set membership (a multi-label answer counts for each of its labels), and a
 * confusion matrix between whole answers (label sets), which is what people read to see which classes
 * a model mixes up.
 */
import { labelSetKey } from './labels.js';

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface LabelScores {
  precision: number;
  recall: number;
  f1: number;
  /** Samples whose ideal holds the label. */
  support: number;
}

export interface ClassificationScores {
  accuracy: number;
  samples: number;
  labels: Record<string, LabelScores>;
  /** Unweighted mean over the labels present in the ideals. */
  macro: Averages;
  /** From the label counts pooled over all labels (tp, fp, fn summed), so frequent labels weigh more. */
  micro: Averages;
  /** Mean over the labels present in the ideals, weighted by their support. */
  weighted: Averages;
  /** confusion[ideal][predicted] = count; keys are the label sets written `a,b` (sorted). */
  confusion: Record<string, Record<string, number>>;
}

export function classificationScores(pairs: Array<{ ideal: string[]; predicted: string[] }>): ClassificationScores {
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  const tally = (label: string) => {
    let c = counts.get(label);
    if (!c) counts.set(label, (c = { tp: 0, fp: 0, fn: 0, support: 0 }));
    return c;
  };
  const confusion: Record<string, Record<string, number>> = {};
  let correct = 0;
  for (const { ideal, predicted } of pairs) {
    const want = new Set(ideal);
    const got = new Set(predicted);
    if (labelSetKey(ideal) === labelSetKey(predicted)) correct++;
    for (const label of want) {
      tally(label).support++;
      if (got.has(label)) tally(label).tp++;
      else tally(label).fn++;
    }
    for (const label of got) if (!want.has(label)) tally(label).fp++;
    const row = (confusion[setName(want)] ??= {});
    row[setName(got)] = (row[setName(got)] ?? 0) + 1;
  }
  const labels: Record<string, LabelScores> = {};
  for (const [label, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    labels[label] = { ...withF1(precision, recall), support: c.support };
  }
  // Macro averages over labels that occur in the ideals: invented labels lower precision, not the average's denominator.
  const real = Object.values(labels).filter((s) => s.support > 0);
  const mean = (pick: (s: LabelScores) => number) => (real.length === 0 ? 0 : real.reduce((sum, s) => sum + pick(s), 0) / real.length);
  const support = real.reduce((sum, s) => sum + s.support, 0);
  const weightedMean = (pick: (s: LabelScores) => number) => ratio(real.reduce((sum, s) => sum + pick(s) * s.support, 0), support);
  const pooled = [...counts.values()].reduce((t, c) => ({ tp: t.tp + c.tp, fp: t.fp + c.fp, fn: t.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  return {
    accuracy: ratio(correct, pairs.length),
    samples: pairs.length,
    labels,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    micro: withF1(ratio(pooled.tp, pooled.tp + pooled.fp), ratio(pooled.tp, pooled.tp + pooled.fn)),
    weighted: { precision: weightedMean((s) => s.precision), recall: weightedMean((s) => s.recall), f1: weightedMean((s) => s.f1) },
    confusion,
  };
}

function withF1(precision: number, recall: number): Averages {
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

function setName(labels: Set<string>): string {
  return labels.size === 0 ? '(none)' : [...labels].sort().join(',');
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
