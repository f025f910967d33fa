import { describe, expect, it } from 'vitest';
import { estimateSpend } from '../../src/remote/spend.js';
import { deprecationWarnings } from '../../src/remote/deprecation.js';
import { assertCanCreateJob } from '../../src/remote/train-guard.js';
import { catalogAsOf } from '../../src/models/catalog.js';

describe('estimateSpend', () => {
  it('prices billed tokens from the catalog', () => {
    const spend = estimateSpend({ params: { n_epochs: 3, model: 'gpt-4.1-mini-2025-04-14' }, billing: { tokens_per_epoch: 200_000 }, identity: { kind: 'openai' } });
    expect(spend).toEqual({ billedTokens: 600_000, costUsd: 3, priceAsOf: catalogAsOf, epochs: 3 });
  });

  it('uses the predicted epochs for "auto", else the epoch heuristic', () => {
    expect(estimateSpend({ params: { n_epochs: 'auto', model: 'gpt-4o-mini' }, billing: { tokens_per_epoch: 1000, billed_tokens: 5000 }, identity: { kind: 'openai' } }).billedTokens).toBe(5000);
    // 10 examples × 3 < 100 → 10 epochs
    expect(estimateSpend({ params: { model: 'gpt-4o-mini' }, billing: { tokens_per_epoch: 1000, examples: 10 }, identity: { kind: 'openai' } }).epochs).toBe(10);
  });

  it('costs nothing locally and is unknown for unknown models or compatible servers', () => {
    expect(estimateSpend({ params: { n_epochs: 2, model: 'gpt-4.1' }, billing: { tokens_per_epoch: 1e6 }, identity: { kind: 'local' } }).costUsd).toBe(0);
    expect(estimateSpend({ params: { n_epochs: 2, model: 'mystery-7b' }, billing: { tokens_per_epoch: 1e6 }, identity: { kind: 'openai' } }).costUsd).toBeNull();
    expect(estimateSpend({ params: { n_epochs: 2, model: 'gpt-4.1' }, billing: { tokens_per_epoch: 1e6 }, identity: { kind: 'openai-compatible', baseUrl: 'http://x' } }).costUsd).toBeNull();
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
