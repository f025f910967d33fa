/**
 * Ctrl-C marks only the stages that were running as interrupted: a stage still waiting for a free slot
 * (--jobs 1) and the stages downstream never started, so they are skipped, never "failed" (issue 16 item 3).
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cliPath, makeProject } from '../helpers/project.js';

const RECIPE = `name: interrupt-queue
provider:
  kind: local
  # Every request waits before it is answered, so the first upload is surely under way when Ctrl-C comes.
  faults: { latencyMs: 3000 }
stages:
  first:
    uses: upload
    with:
      input: data/a.jsonl
  second:
    uses: upload
    with:
      input: data/b.jsonl
  after:
    uses: exec
    with:
      cmd: echo done
      env:
        A: '\${{ stages.first.outputs.file_id }}'
        B: '\${{ stages.second.outputs.file_id }}'
`;

const example = (text: string) => JSON.stringify({ messages: [{ role: 'user', content: text }, { role: 'assistant', content: 'ok' }] }) + '\n';

describe('Ctrl-C with stages still queued', () => {
  it('marks the running stage interrupted and the queued and downstream ones skipped; exit 130', async () => {
    const p = makeProject({ 'recipe.yaml': RECIPE, 'data/a.jsonl': example('a'), 'data/b.jsonl': example('b') });
    const child = execa('node', [cliPath, 'run', 'recipe.yaml', '--json', '--jobs', '1'], { cwd: p.root, reject: false, env: { CI: 'true', NO_COLOR: '1' }, stdin: 'ignore', buffer: true });
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"stage:start"')) setTimeout(resolve, 500);
      });
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(130);
    const ends = String(result.stdout)
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'stage:end');
    const state = Object.fromEntries(ends.map((e) => [e.id, e.state]));
    const started = String(result.stdout).split('\n').filter((l) => l.includes('"stage:start"')).map((l) => JSON.parse(l).id);
    expect(started).toHaveLength(1);
    const [running] = started;
    const queued = running === 'first' ? 'second' : 'first';
    expect(state).toEqual({ [running]: 'interrupted', [queued]: 'skipped', after: 'skipped' });
    expect(Object.values(state)).not.toContain('failed');
  }, 120_000);
});
