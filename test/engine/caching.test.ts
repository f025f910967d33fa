import { describe, expect, it } from 'vitest';
import { rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, type Project } from '../helpers/project.js';

/** Two exec stages; each appends to a counter file so the test sees exactly which ones ran. */
const recipe = (suffix = '!', extraStage = '') => `name: caching
stages:
  upper:
    uses: exec
    with:
      cmd: [sh, -c, "echo run >> count-upper; tr a-z A-Z < data/in.txt > out/up.txt"]
      deps: [data/in.txt]
      outs: { text: out/up.txt }
  shout:
    uses: exec
    with:
      cmd: [sh, -c, "echo run >> count-shout; cat \\"$0\\" > out/shout.txt; echo '${suffix}' >> out/shout.txt", "\${{ stages.upper.outputs.text }}"]
      outs: { text: out/shout.txt }
${extraStage}`;

function project(): Project {
  const p = makeProject({ 'data/in.txt': 'hello\n', 'r.yaml': recipe(), 'out/.keep': '' });
  return p;
}
const runs = (p: Project, stage: string) => (p.exists(`count-${stage}`) ? p.read(`count-${stage}`).trim().split('\n').length : 0);

describe('caching: a stage runs only when its definition, params or inputs change', () => {
  it('second run skips everything; lock is written and stable', async () => {
    const p = project();
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const lock1 = p.read('ftpipe.lock');
    const second = await p.run(['run', 'r.yaml']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('• upper cached');
    expect(second.stdout).toContain('• shout cached');
    expect([runs(p, 'upper'), runs(p, 'shout')]).toEqual([1, 1]);
    expect(p.read('ftpipe.lock')).toBe(lock1);
    expect(lock1).toMatch(/^# ftpipe\.lock/);
    expect(lock1).toContain('schema: 1');
    expect(lock1).toContain('path: data/in.txt');
    expect(p.read('.ftpipe/out/r.yaml/shout/text')).toBe('HELLO\n!\n');
    expect((await p.run(['run', '--check', 'r.yaml'])).code).toBe(0);
  });

  it('an input file change reruns it and what depends on it, with the reason', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    p.write('data/in.txt', 'bye\n');
    const status = await p.run(['status', 'r.yaml']);
    expect(status.stdout).toContain('upper: will run: input data/in.txt changed');
    expect(status.stdout).toContain('shout: will run: upstream upper will run first');
    const check = await p.run(['run', '--check', 'r.yaml']);
    expect(check.code).toBe(3);
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect([runs(p, 'upper'), runs(p, 'shout')]).toEqual([2, 2]);
    expect(p.read('.ftpipe/out/r.yaml/shout/text')).toBe('BYE\n!\n');
  });

  it('same content rewritten (new mtime) changes nothing downstream', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    p.write('data/in.txt', 'hello\n');
    await p.run(['run', 'r.yaml']);
    expect([runs(p, 'upper'), runs(p, 'shout')]).toEqual([1, 1]);
  });

  it('a param change reruns only that stage; switching back restores without running', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    p.write('r.yaml', recipe('?'));
    const status = await p.run(['status', 'r.yaml']);
    expect(status.stdout).toContain('upper: up to date');
    expect(status.stdout).toMatch(/shout: will run: param cmd .*→/);
    await p.run(['run', 'r.yaml']);
    expect([runs(p, 'upper'), runs(p, 'shout')]).toEqual([1, 2]);
    p.write('r.yaml', recipe('!'));
    const back = await p.run(['run', 'r.yaml']);
    expect(back.stdout).toContain('↺ shout restored');
    expect([runs(p, 'upper'), runs(p, 'shout')]).toEqual([1, 2]);
    expect(p.read('.ftpipe/out/r.yaml/shout/text')).toBe('HELLO\n!\n');
  });

  it('an upstream output change reruns downstream; an unchanged upstream output does not', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    // --force reruns upper, whose output is the same: shout stays cached
    const forced = await p.run(['run', 'r.yaml', '--force', 'upper']);
    expect(forced.stdout).toContain('✓ upper ran');
    expect(forced.stdout).toContain('• shout cached');
    expect([runs(p, 'upper'), runs(p, 'shout')]).toEqual([2, 1]);
  });

  it('--set overrides a param for one run', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    const r = await p.run(['status', 'r.yaml', '--set', 'upper.deps=[data/in.txt, r.yaml]']);
    expect(r.stdout).toContain('upper: will run');
    expect(r.stdout).toContain('new input r.yaml');
    const bad = await p.run(['run', 'r.yaml', '--set', 'nostage.x=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no stage "nostage"');
  });

  it('a deleted lock is rebuilt from the run-cache without rerunning', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    const lock = p.read('ftpipe.lock');
    rmSync(join(p.root, 'ftpipe.lock'));
    const r = await p.run(['run', 'r.yaml']);
    expect(r.stdout).toContain('↺ upper restored');
    expect([runs(p, 'upper'), runs(p, 'shout')]).toEqual([1, 1]);
    expect(p.read('ftpipe.lock')).toBe(lock);
  });

  it('reordering the YAML changes nothing', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    const lock = p.read('ftpipe.lock');
    const text = recipe();
    const [head, rest] = text.split('  shout:');
    const [upperPart] = [head.split('stages:\n')[1]];
    p.write('r.yaml', `stages:\n  shout:${rest}${upperPart}name: caching\n`);
    const r = await p.run(['run', 'r.yaml']);
    expect(r.stdout).not.toContain(' ran');
    expect(p.read('ftpipe.lock')).toBe(lock);
  });

  it('a stage version bump reruns it', async () => {
    const stage = (version: number) => `export default { type: 'stamp', version: ${version}, description: 'x', outputs: { out: { kind: 'file', ext: '.txt' } },
      async run(ctx) { const fs = await import('node:fs'); fs.appendFileSync(ctx.workspace + '/count-stamp', 'run\\n'); fs.writeFileSync(ctx.output('out'), 'v'); return { summary: 'stamped' }; } };\n`;
    const p = makeProject({ 'stages-local/stamp.mjs': stage(1), 'r.yaml': 'stages:\n  s:\n    uses: ./stages-local/stamp.mjs\n' });
    await p.run(['run', 'r.yaml']);
    p.write('stages-local/stamp.mjs', stage(2));
    const status = await p.run(['status', 'r.yaml']);
    expect(status.stdout).toContain('s: will run: stage version changed 1→2');
    await p.run(['run', 'r.yaml']);
    expect(runs(p, 'stamp')).toBe(2);
  });
});

describe('partial runs', () => {
  it('--only, --until and --from select stages', async () => {
    const p = project();
    const until = await p.run(['run', 'r.yaml', '--until', 'upper']);
    expect(until.stdout).toContain('✓ upper ran');
    expect(until.stdout).toContain('- shout skipped');
    expect(runs(p, 'shout')).toBe(0);
    const from = await p.run(['run', 'r.yaml', '--from', 'shout']);
    expect(from.stdout).toContain('✓ shout ran');
    expect(runs(p, 'upper')).toBe(1);
    p.write('data/in.txt', 'changed\n');
    const only = await p.run(['run', 'r.yaml', '--only', 'shout']);
    expect(only.stdout).toContain('- upper skipped');
    expect(runs(p, 'upper')).toBe(1);
  });
});

describe('failures', () => {
  it('a stage that throws halfway leaves no artifact and no lock entry, and the run exits 1', async () => {
    const p = makeProject({
      'stages-local/half.mjs': `export default { type: 'half', version: 1, description: 'x', outputs: { data: { kind: 'file', ext: '.jsonl' } },
        async run(ctx) { const fs = await import('node:fs'); fs.writeFileSync(ctx.output('data'), '{"partial": true}\\n'); throw new Error('disk on fire'); } };\n`,
      'r.yaml': 'stages:\n  ok:\n    uses: exec\n    with: {cmd: ["true"]}\n  half:\n    uses: ./stages-local/half.mjs\n    needs: ok\n',
    });
    const r = await p.run(['run', 'r.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stage "half": disk on fire');
    expect(p.exists('.ftpipe/out/r.yaml/half')).toBe(false);
    const lock = p.read('ftpipe.lock');
    expect(lock).toContain('ok:');
    expect(lock).not.toContain('half:');
    const tmp = readFileSync(join(p.root, '.ftpipe/runs/last.json'), 'utf8');
    expect(JSON.parse(tmp)['r.yaml'].stages.half.state).toBe('failed');
  });

  it('a failing command reports its output tail', async () => {
    const p = makeProject({ 'r.yaml': 'stages:\n  bad:\n    uses: exec\n    with: {cmd: [sh, -c, "echo boom >&2; exit 3"]}\n' });
    const r = await p.run(['run', 'r.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('boom');
    expect(r.stderr).toContain('EXEC_FAILED');
  });

  it('a second concurrent run is refused with a clear message, or waits with --wait', async () => {
    const p = makeProject({ 'r.yaml': 'stages:\n  slow:\n    uses: exec\n    with: {cmd: [sh, -c, "sleep 2"]}\n' });
    const first = p.run(['run', 'r.yaml']);
    await new Promise((r) => setTimeout(r, 800));
    const second = await p.run(['run', 'r.yaml']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/ftpipe run r\.yaml \(pid \d+, started .*\) is using this workspace/);
    expect(second.stderr).toContain('--wait');
    const waited = await p.run(['run', 'r.yaml', '--wait']);
    expect(waited.code).toBe(0);
    expect((await first).code).toBe(0);
  });
});

describe('implicit inputs', () => {
  it('a dataset read by name is part of the key: new records rerun it', async () => {
    const record = (q: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: 'ok' }], metadata: { app: 'demo' } }) + '\n';
    const p = makeProject({ '.ftpipe/datasets/support.jsonl': record('a'), 'r.yaml': 'stages:\n  d:\n    uses: dataset\n    with: {name: support}\n' });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('d: up to date');
    p.write('.ftpipe/datasets/support.jsonl', record('a') + record('b'));
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('d: will run: input .ftpipe/datasets/support.jsonl changed');
    await p.run(['run', 'r.yaml']);
    expect(p.read('.ftpipe/out/r.yaml/d/data.jsonl').trim().split('\n')).toHaveLength(2);
  });
});

describe('cache gc', () => {
  it('keeps what the lock and recent runs use, deletes the rest', async () => {
    const p = project();
    await p.run(['run', 'r.yaml']);
    p.write('r.yaml', recipe('?'));
    await p.run(['run', 'r.yaml']); // the '!' result stays in the run-cache
    const dry = await p.run(['cache', 'gc', '--dry-run']);
    expect(dry.stdout).toMatch(/would delete 0 artifact/);
    const gc = await p.run(['cache', 'gc', '--keep-days', '0']);
    expect(gc.code).toBe(0);
    expect(gc.stdout).toMatch(/deleted [1-9]\d* artifact\(s\)/);
    // the current results survive: the rerun is a no-op
    expect((await p.run(['run', 'r.yaml'])).stdout).not.toContain(' ran');
    // the old one is gone: switching back runs it again
    p.write('r.yaml', recipe('!'));
    expect((await p.run(['run', 'r.yaml'])).stdout).toContain('✓ shout ran');
  });
});
