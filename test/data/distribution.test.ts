import { describe, expect, it } from 'vitest';
import { IntDistribution } from '../../src/data/distribution.js';
import { defaultEpochs } from '../../src/data/billing.js';

/** numpy.quantile's default (linear) on a sorted array. */
function npQuantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

describe('IntDistribution', () => {
  it('gives exact quantiles from counts', () => {
    const values = Array.from({ length: 1001 }, (_, i) => (i * 7919) % 613);
    const d = new IntDistribution();
    values.forEach((v) => d.add(v));
    const sorted = [...values].sort((a, b) => a - b);
    const s = d.summary();
    expect(s.min).toBe(sorted[0]);
    expect(s.max).toBe(sorted[sorted.length - 1]);
    expect(s.median).toBeCloseTo(npQuantile(sorted, 0.5), 10);
    expect(s.p5).toBeCloseTo(npQuantile(sorted, 0.05), 10);
    expect(s.p95).toBeCloseTo(npQuantile(sorted, 0.95), 10);
    expect(s.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 10);
    const bins = d.histogram(10).bins;
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
  });

  it('interpolates between two values like numpy', () => {
    const d = new IntDistribution();
    [10, 20].forEach((v) => d.add(v));
    expect(d.summary()).toMatchObject({ median: 15, p5: 10.5, p95: 19.5 });
  });
});

describe('defaultEpochs (cookbook heuristic)', () => {
  it('matches the cookbook', () => {
    expect(defaultEpochs(2)).toBe(25);
    expect(defaultEpochs(10)).toBe(10);
    expect(defaultEpochs(34)).toBe(3);
    expect(defaultEpochs(33)).toBe(3);
    expect(defaultEpochs(20)).toBe(5);
    expect(defaultEpochs(10_000)).toBe(2);
    expect(defaultEpochs(100_000)).toBe(1);
  });
});
