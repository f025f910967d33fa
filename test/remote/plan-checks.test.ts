import { describe, expect, it } from 'vitest';
import { priceTraining } from '../../src/remote/spend.js';
import type { Provider } from '../../src/providers/types.js';
import { deprecationWarnings } from '../../src/remote/deprecation.js';
import { assertCanCreateJob } from '../../src/remote/train-guard.js';
import { catalogAsOf } from '../../src/models/catalog.js';

describe('priceTraining', () => {
  const stats = { examples: 100, tokensPerEpoch: 200_000 };
  it('prices billed tokens of the uploaded file from the catalog', async () => {
    const price = await priceTraining({ pricing: 'catalog', model: 'gpt-4.1-mini-2025-04-14', requestedEpochs: 3, stats });
    expect(price).toEqual({ epochs: 3, billedTokens: 600_000, costUsd: 3, basis: `prices as of ${catalogAsOf}` });
  });

  it('uses the epoch heuristic of the file\'s example count for "auto"', async () => {
    // 10 examples × 3 < 100 → 10 epochs
    expect((await priceTraining({ pricing: 'catalog', model: 'gpt-4o-mini', requestedEpochs: 'auto', stats: { examples: 10, tokensPerEpoch: 1000 } })).epochs).toBe(10);
  });

  it('is free, unknown, or the provider\'s own estimate, as the adapter declares', async () => {
    expect((await priceTraining({ pricing: 'free', model: 'gpt-4.1', requestedEpochs: 2, stats })).costUsd).toBe(0);
    expect((await priceTraining({ pricing: 'catalog', model: 'mystery-7b', requestedEpochs: 2, stats })).costUsd).toBeNull();
    expect((await priceTraining({ pricing: 'unknown', model: 'gpt-4.1', requestedEpochs: 2, stats })).costUsd).toBeNull();
    const spec = { model: 'meta-llama/x', trainingFile: 'file-1', idempotencyKey: 'k' };
    // No file id yet: the provider cannot be asked.
    expect((await priceTraining({ pricing: 'provider', model: 'm', requestedEpochs: 2, stats })).costUsd).toBeNull();
    const asked: unknown[] = [];
    const provider = { estimateJobCost: async (s: unknown) => (asked.push(s), { costUsd: 1.23456, allowed: false, reason: 'over the account limit' }) } as unknown as Provider;
    const price = await priceTraining({ pricing: 'provider', model: 'm', requestedEpochs: 2, stats, spec, provider });
    expect(asked).toEqual([spec]);
    expect(price).toMatchObject({ costUsd: 1.2346, refused: 'over the account limit' });
  });
});

describe('deprecationWarnings', () => {
  it('warns before and after the OpenAI end of self-serve fine-tuning', () => {
    expect(deprecationWarnings({ identity: { kind: 'openai' }, today: '2026-01-01' })).toEqual([]);
    expect(deprecationWarnings({ identity: { kind: 'openai' }, today: '2026-12-01' })[0]).toMatch(/stops creating .* 2027-01-06 \(in 36 days\)/);
    expect(deprecationWarnings({ identity: { kind: 'openai' }, today: '2027-02-01' })[0]).toMatch(/stopped creating/);
    expect(deprecationWarnings({ identity: { kind: 'local' }, today: '2027-02-01' })).toEqual([]);
  });

  it('warns about base model shutdowns, preferring the provider date', () => {
    const [warning] = deprecationWarnings({ identity: { kind: 'azure' }, model: 'gpt-4o-mini-2024-07-18', today: '2027-01-01' });
    expect(warning).toMatch(/shuts down on 2027-01-14 \(per the model catalog, in 13 days\)/);
    const fromProvider = deprecationWarnings({ identity: { kind: 'openai-compatible' }, model: 'base-1', today: '2026-05-01', providerModels: [{ id: 'base-1', shutdownDate: '2026-04-01' }] });
    expect(fromProvider).toEqual(['model base-1: retired on 2026-04-01 (per the provider); pick a newer base model']);
    expect(deprecationWarnings({ identity: { kind: 'azure' }, model: 'ft:gpt-4.1-2025-04-14:org::x', today: '2026-12-20' })[0]).toMatch(/2027-01-14/);
  });
});

describe('assertCanCreateJob', () => {
  it('fails fast on provider openai after the end date unless overridden', () => {
    expect(() => assertCanCreateJob({ identity: { kind: 'openai' }, today: '2027-01-06' })).toThrow(/stopped creating self-serve fine-tuning jobs on 2027-01-06/);
    expect(() => assertCanCreateJob({ identity: { kind: 'openai' }, today: '2027-01-06', allowAfterEnd: true })).not.toThrow();
    expect(() => assertCanCreateJob({ identity: { kind: 'openai' }, today: '2027-01-05' })).not.toThrow();
    expect(() => assertCanCreateJob({ identity: { kind: 'azure' }, today: '2030-01-01' })).not.toThrow();
  });
});
