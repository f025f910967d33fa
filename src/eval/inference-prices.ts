/**
 * What an eval's requests cost: USD per 1M input and output tokens. Providers priced from ftpipe's
 * catalog (openai, azure) use the table below (OpenAI's published standard prices on `pricesAsOf`,
 * fine-tuned models at their fine-tuned rates); free providers (local, trl) cost 0; for the others
 * the cost is unknown unless the stage's `prices` param names the model.
 */
export const pricesAsOf = '2026-11-01';

export interface TokenPrice {
  /** USD per 1M prompt tokens. */
  input: number;
  /** USD per 1M completion tokens. */
  output: number;
}

interface PriceRow {
  /** Model id or snapshot prefix, matched longest first. */
  id: string;
  base: TokenPrice;
  fineTuned?: TokenPrice;
}

const table: PriceRow[] = [
  { id: 'gpt-4.1-nano', base: { input: 0.1, output: 0.4 }, fineTuned: { input: 0.2, output: 0.8 } },
  { id: 'gpt-4.1-mini', base: { input: 0.4, output: 1.6 }, fineTuned: { input: 0.8, output: 3.2 } },
  { id: 'gpt-4.1', base: { input: 2, output: 8 }, fineTuned: { input: 3, output: 12 } },
  { id: 'gpt-4o-mini', base: { input: 0.15, output: 0.6 }, fineTuned: { input: 0.3, output: 1.2 } },
  { id: 'gpt-4o', base: { input: 2.5, output: 10 }, fineTuned: { input: 3.75, output: 15 } },
  { id: 'gpt-3.5-turbo', base: { input: 0.5, output: 1.5 }, fineTuned: { input: 3, output: 6 } },
  { id: 'gpt-4', base: { input: 30, output: 60 } },
  { id: 'davinci-002', base: { input: 2, output: 2 }, fineTuned: { input: 12, output: 12 } },
  { id: 'babbage-002', base: { input: 0.4, output: 0.4 }, fineTuned: { input: 1.6, output: 1.6 } },
];

export type PricingKind = 'free' | 'catalog' | 'provider' | 'unknown';

/** The price of one model's tokens, or null when unknown. `overrides` (the stage's `prices`) win. */
export function tokenPrice(model: string, pricing: PricingKind, overrides: Record<string, TokenPrice> = {}): TokenPrice | null {
  if (Object.hasOwn(overrides, model)) return overrides[model];
  if (pricing === 'free') return { input: 0, output: 0 };
  if (pricing !== 'catalog') return null;
  const fineTuned = model.startsWith('ft:');
  const base = fineTuned ? model.split(':')[1] : model;
  const row = [...table].sort((a, b) => b.id.length - a.id.length).find((r) => base === r.id || base.startsWith(`${r.id}-`));
  if (!row) return null;
  return fineTuned ? (row.fineTuned ?? null) : row.base;
}

export function costUsd(tokens: { prompt: number; completion: number }, price: TokenPrice | null): number | null {
  if (!price) return null;
  return Math.round(((tokens.prompt * price.input + tokens.completion * price.output) / 1e6) * 1e6) / 1e6;
}
