/**
 * Exact statistics over integer values (token counts, message counts) in bounded memory: counts per
 * distinct value, so 1M examples cost a few thousand map entries, and quantiles stay exact.
 */
export interface DistributionSummary {
  min: number;
  max: number;
  mean: number;
  median: number;
  /** The real 5th percentile (numpy's default linear interpolation), unlike the cookbook's 0.1 quantile. */
  p5: number;
  /** The real 95th percentile. */
  p95: number;
}

export interface Histogram {
  bins: Array<{ lo: number; hi: number; count: number }>;
}

export class IntDistribution {
  private readonly counts = new Map<number, number>();
  n = 0;
  private sum = 0;

  add(value: number): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    this.n++;
    this.sum += value;
  }

  /** Quantile q in [0, 1], interpolated linearly between ranks like numpy.quantile. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const sorted = this.sortedEntries();
    const pos = q * (this.n - 1);
    const lo = valueAtRank(sorted, Math.floor(pos));
    const hi = valueAtRank(sorted, Math.ceil(pos));
    return lo + (hi - lo) * (pos - Math.floor(pos));
  }

  summary(): DistributionSummary {
    if (this.n === 0) return { min: 0, max: 0, mean: 0, median: 0, p5: 0, p95: 0 };
    const sorted = this.sortedEntries();
    return {
      min: sorted[0][0],
      max: sorted[sorted.length - 1][0],
      mean: this.sum / this.n,
      median: this.quantile(0.5),
      p5: this.quantile(0.05),
      p95: this.quantile(0.95),
    };
  }

  /** Equal-width bins over [min, max] (integer edges, lo inclusive, hi exclusive except the last). */
  histogram(binCount = 20): Histogram {
    if (this.n === 0) return { bins: [] };
    const sorted = this.sortedEntries();
    const min = sorted[0][0];
    const max = sorted[sorted.length - 1][0];
    const width = Math.max(1, Math.ceil((max - min + 1) / binCount));
    const bins: Histogram['bins'] = [];
    for (let lo = min; lo <= max; lo += width) bins.push({ lo, hi: lo + width, count: 0 });
    for (const [value, count] of sorted) bins[Math.floor((value - min) / width)].count += count;
    return { bins };
  }

  private sortedEntries(): Array<[number, number]> {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
  }
}

function valueAtRank(sorted: Array<[number, number]>, rank: number): number {
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (rank < seen) return value;
  }
  return sorted[sorted.length - 1][0];
}
