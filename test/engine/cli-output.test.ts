import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';

const recipe = `stages:
  a:
    uses: exec
    with: { cmd: [sh, -c, "echo a > a.txt"], outs: { out: a.txt } }
  b:
    uses: exec
    with: { cmd: [cat, "\${{ stages.a.outputs.out }}"] }
  c:
    uses: exec
    needs: [a, b]
    with: { cmd: ["true"] }
`;

describe('CLI output', () => {
  it('--json writes one parseable event per line with decisions and reasons', async () => {
    const p = makeProject({ 'r.yaml': recipe });
    const r = await p.run(['run', 'r.yaml', '--json']);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'run:start', recipe: 'r.yaml', stages: ['a', 'b', 'c'] });
    expect(events.filter((e) => e.type === 'stage:decided').map((e) => [e.id, e.action])).toEqual([['a', 'run'], ['b', 'run'], ['c', 'run']]);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', ok: true, counts: { ran: 3 } });
    const again = (await p.run(['run', 'r.yaml', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(again.filter((e) => e.type === 'stage:end').map((e) => e.state)).toEqual(['cached', 'cached', 'cached']);
  });

  it('plan --json tells every decision, running nothing', async () => {
    const p = makeProject({ 'r.yaml': recipe });
    const r = await p.run(['plan', 'r.yaml', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stages.map((s: { id: string; action: string }) => `${s.id}:${s.action}`)).toEqual(['a:run', 'b:run', 'c:run']);
    expect(plan.stages[0].reasons).toEqual(['not in ftpipe.lock yet']);
    expect(p.exists('ftpipe.lock')).toBe(false);
    expect(p.exists('a.txt')).toBe(false);
  });

  it('dag prints text and mermaid', async () => {
    const p = makeProject({ 'r.yaml': recipe });
    expect((await p.run(['dag', 'r.yaml'])).stdout).toBe('a (exec)\nb (exec) ← a\nc (exec) ← a, b\n');
    expect((await p.run(['dag', 'r.yaml', '--format', 'mermaid'])).stdout).toBe(
      'flowchart TD\n  s_a["a<br/><small>exec</small>"]\n  s_b["b<br/><small>exec</small>"]\n  s_c["c<br/><small>exec</small>"]\n  s_a --> s_b\n  s_a --> s_c\n  s_b --> s_c\n',
    );
  });

  it('mermaid: a stage named like a keyword, and ids that differ only by - and _, stay distinct nodes', async () => {
    const p = makeProject({
      'r.yaml': 'stages:\n  end:\n    uses: exec\n    with: { cmd: ["true"] }\n  a-b:\n    uses: exec\n    needs: end\n    with: { cmd: ["true"] }\n  a_b:\n    uses: exec\n    needs: [end, a-b]\n    with: { cmd: ["true"] }\n',
    });
    const out = (await p.run(['dag', 'r.yaml', '--format', 'mermaid'])).stdout;
    const nodes = [...out.matchAll(/^ {2}(\S+)\["([^"<]+)<br\/>/gm)].map((m) => [m[1], m[2]]);
    expect(nodes.map(([, label]) => label)).toEqual(['end', 'a-b', 'a_b']);
    const ids = nodes.map(([id]) => id);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    // Mermaid keywords (end, graph, subgraph, …) are never a node id.
    expect(ids.some((id) => ['end', 'graph', 'subgraph', 'flowchart', 'style', 'class', 'click', 'default'].includes(id))).toBe(false);
    const [end, ab, a_b] = ids;
    expect([...out.matchAll(/^ {2}(\S+) --> (\S+)$/gm)].map((m) => [m[1], m[2]])).toEqual([[end, ab], [ab, a_b], [end, a_b]]);
  });

  it('usage errors exit 2 without a stack trace', async () => {
    const p = makeProject({ 'r.yaml': recipe });
    const r = await p.run(['run', 'r.yaml', '--jobs', 'zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a positive whole number');
    expect((await p.run(['frobnicate'])).code).toBe(2);
  });
});
