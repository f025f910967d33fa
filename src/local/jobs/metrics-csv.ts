/** The job's result file: per-step metrics as CSV, in the columns OpenAI's step_metrics.csv uses. */
import type { StepMetrics } from '../trainer/training-run.js';

export const METRICS_CSV_HEADER = 'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy';

export function metricsCsv(steps: StepMetrics[]): string {
  const rows = steps.map((m) => [m.step, round(m.train_loss), round(m.train_mean_token_accuracy), round(m.valid_loss), round(m.valid_mean_token_accuracy)].join(','));
  return `${METRICS_CSV_HEADER}\n${rows.join('\n')}\n`;
}

function round(value: number | undefined): string {
  return value === undefined ? '' : String(Math.round(value * 1e5) / 1e5);
}
