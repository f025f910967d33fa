import { describe, expect, it } from 'vitest';
import { expressionsIn, stageRefsIn, substitute } from '../../src/recipe/expressions.js';
import { closest, editDistance } from '../../src/recipe/suggest.js';
import { findCycle, selectStages, topologicalOrder } from '../../src/graph/dag.js';
import { canonicalJson } from '../../src/store/digest.js';
import { changeReasons } from '../../src/run/decide.js';
import { splitCommand } from '../../stages/exec.js';

describe('expressions', () => {
  it('finds vars, env (both spellings) and stage references', () => {
    expect(expressionsIn('${{ vars.a }}-${HOME}-${{ env.X }}-${{ stages.clean.outputs.data }}').map((e) => e.expression)).toEqual([
      { kind: 'var', name: 'a' },
      { kind: 'env', name: 'HOME' },
      { kind: 'env', name: 'X' },
      { kind: 'stage', ref: { stage: 'clean', output: 'data' } },
    ]);
    expect(expressionsIn('${{ stages.clean }}')[0].expression).toEqual({ kind: 'invalid', text: 'stages.clean' });
  });
  it('keeps the type of a whole-string value and joins embedded ones as text', () => {
    const values = (e: { kind: string }) => (e.kind === 'var' ? 5 : undefined);
    expect(substitute('${{ vars.n }}', values)).toBe(5);
    expect(substitute('n=${{ vars.n }}!', values)).toBe('n=5!');
    expect(substitute('${{ stages.a.outputs.b }}', values)).toBe('${{ stages.a.outputs.b }}');
  });
  it('collects stage references from nested params', () => {
    expect(stageRefsIn({ a: ['${{ stages.x.outputs.y }}', { b: 'p ${{ stages.z.outputs.w }}' }] })).toEqual([
      { stage: 'x', output: 'y' },
      { stage: 'z', output: 'w' },
    ]);
  });
});

describe('suggestions', () => {
  it('edit distance and closest key', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('n_epoch', ['n_epochs', 'batch_size'])).toBe('n_epochs');
    expect(closest('zzzzzz', ['n_epochs', 'batch_size'])).toBeUndefined();
  });
});

describe('graph', () => {
  const edges = new Map([
    ['ingest', []],
    ['clean', ['ingest']],
    ['validate', ['clean']],
    ['split', ['clean']],
    ['train', ['split', 'validate']],
  ]);
  it('orders dependencies first, independent of insertion order', () => {
    expect(topologicalOrder(edges)).toEqual(['ingest', 'clean', 'split', 'validate', 'train']);
    expect(topologicalOrder(new Map([...edges].reverse()))).toEqual(['ingest', 'clean', 'split', 'validate', 'train']);
  });
  it('spells out cycles', () => {
    expect(findCycle(edges)).toBeUndefined();
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
  });
  it('selects --from / --until / --only', () => {
    expect([...selectStages(edges, { from: 'clean' })].sort()).toEqual(['clean', 'split', 'train', 'validate']);
    expect([...selectStages(edges, { until: 'split' })].sort()).toEqual(['clean', 'ingest', 'split']);
    expect([...selectStages(edges, { from: 'clean', until: 'split' })].sort()).toEqual(['clean', 'split']);
    expect([...selectStages(edges, { only: ['train'] })]).toEqual(['train']);
  });
});

describe('keys and reasons', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }));
  });
  it('explains each kind of change', () => {
    const lock = { uses: 'train', version: 1, key: 'k1', params: { n_epochs: 3, model: 'm' }, inputs: [{ param: 'input', path: 'data/x.csv', digest: 'sha256:a' as const, size: 1 }], outputs: {} };
    const now = { key: 'k2', uses: 'train', version: 2, keyParams: { n_epochs: 5, model: 'm' }, inputs: [{ param: 'input', path: 'data/x.csv', digest: 'sha256:b' as const, size: 1 }] };
    expect(changeReasons(now, lock)).toEqual(['stage version changed 1→2', 'param n_epochs 3→5', 'input data/x.csv changed']);
    expect(changeReasons(now, undefined)).toEqual(['not in ftpipe.lock yet']);
  });
});

describe('exec command splitting', () => {
  it('splits on spaces and respects quotes', () => {
    expect(splitCommand(`python3 prep.py --name "a b" 'c d' e\\"f`)).toEqual(['python3', 'prep.py', '--name', 'a b', 'c d', 'e\\"f']);
  });
});
