import { InvalidArgumentError, Option } from 'commander';
import { providerKinds } from '../providers/registry.js';

/** Repeatable option values: --set a=1 --set b=2, --only x,y. */
export const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];
export const collectRaw = (value: string, previous: string[] = []) => [...previous, value];

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

/** An amount such as --max-cost: a finite number ≥ 0 ('' and 'abc' would otherwise become NaN or 0). */
export function nonNegativeNumber(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of 0 or more, got "${value}"`);
  return n;
}

export const providerOption = () => new Option('--provider <kind>', 'override the recipe\'s provider kind').choices(providerKinds);
