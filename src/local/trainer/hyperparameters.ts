/**
 * "auto" hyperparameters resolved the way OpenAI documents them, from the number of training examples.
 * n_epochs: 3, raised for tiny sets (≥ 100 example-passes) and lowered for huge ones (≤ 25,000);
 * batch_size: about 0.2% of the examples, between 1 and 256; learning_rate_multiplier: 1.8.
 */
export type Auto<T> = T | 'auto';

export interface RequestedHyperparameters {
  n_epochs?: Auto<number>;
  batch_size?: Auto<number>;
  learning_rate_multiplier?: Auto<number>;
}

export interface ResolvedHyperparameters {
  n_epochs: number;
  batch_size: number;
  learning_rate_multiplier: number;
}

const TARGET_EPOCHS = 3;
const MIN_EXAMPLE_PASSES = 100;
const MAX_EXAMPLE_PASSES = 25_000;
const MAX_AUTO_EPOCHS = 25;
export const AUTO_LEARNING_RATE_MULTIPLIER = 1.8;

export function resolveHyperparameters(requested: RequestedHyperparameters, examples: number): ResolvedHyperparameters {
  return {
    n_epochs: isAuto(requested.n_epochs) ? autoEpochs(examples) : requested.n_epochs,
    batch_size: isAuto(requested.batch_size) ? autoBatchSize(examples) : requested.batch_size,
    learning_rate_multiplier: isAuto(requested.learning_rate_multiplier) ? AUTO_LEARNING_RATE_MULTIPLIER : requested.learning_rate_multiplier,
  };
}

export function autoEpochs(examples: number): number {
  if (examples * TARGET_EPOCHS < MIN_EXAMPLE_PASSES) return Math.min(MAX_AUTO_EPOCHS, Math.floor(MIN_EXAMPLE_PASSES / examples));
  if (examples * TARGET_EPOCHS > MAX_EXAMPLE_PASSES) return Math.max(1, Math.floor(MAX_EXAMPLE_PASSES / examples));
  return TARGET_EPOCHS;
}

export function autoBatchSize(examples: number): number {
  return Math.max(1, Math.min(256, Math.round(examples * 0.002)));
}

function isAuto<T>(value: Auto<T> | undefined): value is 'auto' | undefined {
  return value === undefined || value === 'auto';
}
