/**
 * Seeded percentile-bootstrap intervals: for a model's mean sample score, and for the difference
 * between two models on the same samples (paired: each resample draws the same samples for both, so
 * the interval reflects how the models differ sample by sample). Same seed, same samples → same
 * interval, so a report can be cited and reproduced.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

export interface BootstrapOptions {
  resamples: number;
  seed: number;
  /** e.g. 0.95 */
  confidence: number;
}

export const defaultBootstrap: BootstrapOptions = { resamples: 1000, seed: 0, confidence: 0.95 };

export type Interval = [number, number];

/** The interval of the mean of `scores`, or null with fewer than two samples. */
export function meanInterval(scores: number[], options: BootstrapOptions = defaultBootstrap): Interval | null {
  return pairedInterval([scores], (means) => means[0], options);
}

/** The interval of mean(candidate) − mean(base) over paired samples, or null with fewer than two. */
export function differenceInterval(base: number[], candidate: number[], options: BootstrapOptions = defaultBootstrap): Interval | null {
  if (base.length !== candidate.length) throw new Error('paired bootstrap needs the same samples for both models (this is a bug)');
  return pairedInterval([base, candidate], ([b, c]) => c - b, options);
}

function pairedInterval(series: number[][], statistic: (means: number[]) => number, options: BootstrapOptions): Interval | null {
  const n = series[0].length;
  if (n < 2) return null;
  const rng = xoroshiro128plus(options.seed);
  const stats = new Float64Array(options.resamples);
  const sums = new Float64Array(series.length);
  for (let r = 0; r < options.resamples; r++) {
    sums.fill(0);
    for (let k = 0; k < n; k++) {
      const pick = uniformInt(rng, 0, n - 1);
      for (let s = 0; s < series.length; s++) sums[s] += series[s][pick];
    }
    stats[r] = statistic(Array.from(sums, (sum) => sum / n));
  }
  stats.sort();
  const tail = (1 - options.confidence) / 2;
  return [round(quantile(stats, tail)), round(quantile(stats, 1 - tail))];
}

/** Linear interpolation between order statistics (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
