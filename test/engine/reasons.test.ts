/**
 * Reasons tell the truth (issue 11 items 18, 19): a changed value shows the part that differs, and a stage
 * lists every reason it reruns, its own changes included when an upstream stage also reruns.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';

const recipe = (message: string, suffix: string) => `stages:
  upper:
    uses: exec
    with: { cmd: [sh, -c, "tr a-z A-Z < data/in.txt > up.txt"], deps: [data/in.txt], outs: { text: up.txt } }
  shout:
    uses: exec
    with:
      cmd: [sh, -c, "echo 'a long command whose only difference is deep inside: ${message} and then it goes on' > shout.txt; cat \\"$0\\" >> shout.txt", "\${{ stages.upper.outputs.text }}"]
      env: { SUFFIX: "${suffix}" }
      outs: { text: shout.txt }
`;

describe('reasons', () => {
  it('a long changed value shows the part that differs on both sides', async () => {
    const p = makeProject({ 'data/in.txt': 'hi\n', 'r.yaml': recipe('error one', '!') });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    p.write('r.yaml', recipe('error two', '!'));
    const status = (await p.run(['status', 'r.yaml'])).stdout;
    const line = status.split('\n').find((l) => l.startsWith('shout: will run: param cmd '))!;
    expect(line).toBeDefined();
    const [before, after] = line.slice('shout: will run: param cmd '.length).split('→');
    expect(before).toContain('error one');
    expect(after).toContain('error two');
    expect(before).not.toContain('error two');
    expect(line.length).toBeLessThan(160);
  });

  it('a stage whose upstream reruns still lists its own changes', async () => {
    const p = makeProject({ 'data/in.txt': 'hi\n', 'r.yaml': recipe('same', '!') });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    p.write('data/in.txt', 'bye\n');
    p.write('r.yaml', recipe('same', '?'));
    const status = (await p.run(['status', 'r.yaml'])).stdout;
    expect(status).toContain('upper: will run: input data/in.txt changed');
    expect(status).toContain('shout: will run: param env {"SUFFIX":"!"}→{"SUFFIX":"?"}; upstream upper will run first');
    const plan = JSON.parse((await p.run(['plan', 'r.yaml', '--json'])).stdout);
    expect(plan.stages.find((s: { id: string }) => s.id === 'shout').reasons).toEqual(['param env {"SUFFIX":"!"}→{"SUFFIX":"?"}', 'upstream upper will run first']);
    // And when it runs, with the upstream's new output, every reason again.
    const run = await p.run(['run', 'r.yaml']);
    expect(run.stdout).toContain('shout: will run (param env {"SUFFIX":"!"}→{"SUFFIX":"?"}; input stages.upper.outputs.text changed)');
  });
});
