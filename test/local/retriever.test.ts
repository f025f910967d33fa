/**
 * The retriever's index (src/local/trainer/retriever.ts): MaxScore finds exactly the top k that scoring
 * every entry finds; a word in every training prompt (a shared system prompt) is in no vector, so it
 * neither costs nor counts; a query that shares no word with the index gets the most common answer.
 */
import { describe, expect, it } from 'vitest';
import { Retriever } from '../../src/local/trainer/retriever.js';
import { TrainingRun } from '../../src/local/trainer/training-run.js';
import { LoadedModel } from '../../src/local/trainer/trained-model.js';
import { dot, promptText } from '../../src/local/trainer/features.js';
import { loghubRows } from './helpers/loghub-examples.js';

const SYSTEM = 'You read one log line and answer with the event template of that line, nothing else.';
const rows = loghubRows('BGL').concat(loghubRows('Hadoop'));
const prompt = (content: string, system = true) => promptText([...(system ? [{ role: 'system', content: SYSTEM }] : []), { role: 'user', content }]);

function index(prompts: string[], answers: string[]) {
  const retriever = Retriever.fit(prompts);
  const vectors = prompts.map((p) => retriever.vectorize(p));
  vectors.forEach((x, i) => retriever.add(x, answers[i]));
  return { retriever, vectors };
}

describe('Retriever', () => {
  const train = rows.filter((_, i) => i % 3 !== 0).slice(0, 1500);
  const queries = rows.filter((_, i) => i % 3 === 0).slice(0, 150);
  const { retriever, vectors } = index(train.map((r) => prompt(r.Content)), train.map((r) => r.EventTemplate));

  it('finds the same top k as scoring every entry', () => {
    for (const row of queries) {
      const q = retriever.vectorize(prompt(row.Content));
      const brute = vectors
        .map((x, at) => ({ at, similarity: dot(q, x) }))
        .filter((s) => s.similarity > 0)
        .sort((a, b) => b.similarity - a.similarity || a.at - b.at);
      for (const k of [1, 5]) {
        const found = retriever.nearest(q, k);
        expect(found.map((n) => n.similarity)).toEqual(brute.slice(0, k).map((b) => expect.closeTo(b.similarity, 12)));
        // Equal answers for equal scores up to rounding: compare the answers of the brute-force ranking.
        expect(found.map((n) => n.answer)).toEqual(brute.slice(0, found.length).map((b) => train[b.at].EventTemplate));
      }
    }
  });

  it('gives a shared system prompt no weight: the same neighbours as without it', () => {
    const bare = index(train.map((r) => prompt(r.Content, false)), train.map((r) => r.EventTemplate));
    const withSystem = new Set(vectors.flatMap((x) => x.indices));
    const without = new Set(bare.vectors.flatMap((x) => x.indices));
    expect([...withSystem].every((i) => without.has(i))).toBe(true);
    for (const row of queries.slice(0, 50)) {
      const a = retriever.nearest(retriever.vectorize(prompt(row.Content)), 3);
      const b = bare.retriever.nearest(bare.retriever.vectorize(prompt(row.Content, false)), 3);
      expect(a.map((n) => n.answer)).toEqual(b.map((n) => n.answer));
    }
  });

  it('answers a query that shares no word with the most common answer', () => {
    const { retriever: small } = index([prompt('alpha beta'), prompt('gamma delta'), prompt('alpha gamma')], ['one', 'two', 'two']);
    expect(small.nearest(small.vectorize(prompt('zeta eta')), 1)).toEqual([{ answer: 'two', similarity: 0 }]);
  });

  it('ignores n_epochs, batch_size, learning_rate_multiplier and the seed (what docs/local-provider.md says)', () => {
    const examples = train.slice(0, 600).map((r) => ({ prompt: prompt(r.Content), answer: `${r.LineId}: ${r.EventTemplate}` }));
    // The same prompt twice with two answers: which one wins must not depend on the order of training.
    examples.push(...examples.slice(0, 40).map((e, i) => ({ prompt: e.prompt, answer: `another answer ${i}` })));
    const answersWith = (hyper: { n_epochs: number; batch_size: number; learning_rate_multiplier: number }, seed: number) => {
      const run = new TrainingRun(examples, [], hyper, seed);
      expect(run.kind).toBe('retriever');
      while (!run.done) run.step();
      const model = new LoadedModel({ id: 'ft:x', base: 'gpt-4o-mini', created: 0, jobId: 'ftjob-x', body: run.snapshot() });
      return [...queries.slice(0, 40), ...train.slice(0, 40)].map((r) => model.answer([{ role: 'system', content: SYSTEM }, { role: 'user', content: r.Content }], { temperature: 0 }));
    };
    const reference = answersWith({ n_epochs: 1, batch_size: 1, learning_rate_multiplier: 1 }, 3);
    expect(answersWith({ n_epochs: 5, batch_size: 32, learning_rate_multiplier: 0.1 }, 3)).toEqual(reference);
    expect(answersWith({ n_epochs: 2, batch_size: 8, learning_rate_multiplier: 2 }, 99)).toEqual(reference);
  });
});
