/**
 * exec's outs: confined to the workspace (refused at lint time, with file:line:col, before anything is
 * deleted), tracked in the workspace like DVC outs (missing or modified → restored from the store),
 * files or folders, only what the stage produced is ever removed, and no partial out survives a failure,
 * an interruption or a kill.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, makeProject } from '../helpers/project.js';
import { runCount, upperRecipe } from '../helpers/counting-recipes.js';

const withOut = (out: string) => `stages:
  x:
    uses: exec
    with:
      cmd: [sh, -c, "echo hi"]
      outs: { result: ${JSON.stringify(out)} }
`;

const upper = upperRecipe;

const models = `stages:
  fit:
    uses: exec
    with:
      cmd: [sh, -c, "echo run >> count; mkdir -p models/sub; cp in.txt models/a.txt; echo deep > models/sub/b.txt"]
      deps: [in.txt]
      outs: { models: models/ }
`;

const runs = runCount;

describe('exec outs are confined to the workspace', () => {
  it('refuses the root, .git, .ftpipe, outside paths and symlinks leading out, at lint time, and deletes nothing', async () => {
    const victim = mkdtempSync(join(tmpdir(), 'ftpipe-victim-'));
    writeFileSync(join(victim, 'precious.txt'), 'keep me');
    const p = makeProject({ 'keep.txt': 'mine' });
    symlinkSync(victim, join(p.root, 'elsewhere'));
    symlinkSync(join(victim, 'precious.txt'), join(p.root, 'linked.txt'));
    const cases: Array<[string, RegExp]> = [
      ['.', /is the workspace root itself/],
      ['./', /is the workspace root itself/],
      [`../${victim.split('/').pop()}`, /is outside the workspace/],
      [victim, /is outside the workspace/],
      ['.git', /is inside \.git\/, which ftpipe never writes for a stage/],
      ['.ftpipe/objects', /is inside \.ftpipe\//],
      ['elsewhere/precious.txt', /leads outside the workspace through a symlink/],
      ['linked.txt', /is a symlink/],
    ];
    for (const [out, reason] of cases) {
      p.write('r.yaml', withOut(out));
      for (const verb of out === '.' || out === victim ? ['lint', 'run'] : ['lint']) {
        const result = await p.run([verb, 'r.yaml']);
        expect(result.stderr, `${verb} ${out}`).toMatch(new RegExp(`^r\\.yaml:6:23: error: stage "x": out "result" \\(${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) ${reason.source}`));
        expect(result.code).toBe(2);
      }
    }
    expect(existsSync(join(victim, 'precious.txt'))).toBe(true);
    expect(p.exists('.git')).toBe(true);
    expect(p.read('keep.txt')).toBe('mine');
  });

  it('refuses an out that is also a dep, or inside another out', async () => {
    const p = makeProject({ 'data/in.txt': 'x' });
    p.write('r.yaml', `stages:\n  x:\n    uses: exec\n    with:\n      cmd: [sh, -c, "true"]\n      deps: [data/in.txt]\n      outs: { a: data/, b: data/in.txt }\n`);
    const lint = await p.run(['lint', 'r.yaml']);
    expect(lint.stderr).toContain('out "a" (data/) overlaps the dep data/in.txt');
    expect(lint.stderr).toContain('out "b" (data/in.txt) is inside out "a" (data/)');
    expect(lint.code).toBe(2);
  });
});

describe('exec outs are tracked in the workspace', () => {
  it('a deleted or edited out is reported by status and restored from the store, without rerunning', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': upper });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    p.write('up.txt', 'EDITED\n');
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('upper: will restore from the run-cache (out up.txt was modified)');
    const restored = await p.run(['run', 'r.yaml']);
    expect(restored.stdout).toContain('↺ upper restored');
    expect(p.read('up.txt')).toBe('HELLO\n');
    execa('rm', [join(p.root, 'up.txt')]);
    await new Promise((r) => setTimeout(r, 200));
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('upper: will restore from the run-cache (out up.txt is missing)');
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect(p.read('up.txt')).toBe('HELLO\n');
    expect(runs(p)).toBe(1);
    expect((await p.run(['run', '--check', 'r.yaml'])).code).toBe(0);
  });

  it('folder outs (a trailing slash) are stored as trees, tracked and restored file by file', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': models });
    const first = await p.run(['run', 'r.yaml']);
    expect(first.code, first.stderr).toBe(0);
    expect(p.read('.ftpipe/out/r.yaml/fit/models/sub/b.txt')).toBe('deep\n');
    expect(p.read('ftpipe.lock')).toMatch(/models:\n\s+digest: sha256:[0-9a-f]{64}\n\s+size: 11\n\s+kind: dir/);
    execa('rm', [join(p.root, 'models/sub/b.txt')]);
    await new Promise((r) => setTimeout(r, 200));
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('fit: will restore from the run-cache (out models was modified)');
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect(p.read('models/sub/b.txt')).toBe('deep\n');
    expect(runs(p)).toBe(1);
  });

  it('restoring a modified folder out moves the user\'s edits and added files aside, never deletes them', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': models });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    p.write('models/notes.txt', 'my notes');
    p.write('models/a.txt', 'my edit\n');
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('fit: will restore from the run-cache (out models was modified)');
    const restore = await p.run(['run', 'r.yaml']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/fit: warning: 2 files in models\/ were not written by this stage \(or edited since\); moved to \.ftpipe\/displaced\/[^/]+\/models before restoring it/);
    expect(p.read('models/a.txt')).toBe('hello\n');
    expect(p.exists('models/notes.txt')).toBe(false);
    const [aside] = readdirSync(join(p.root, '.ftpipe/displaced'));
    expect(p.read(`.ftpipe/displaced/${aside}/models/notes.txt`)).toBe('my notes');
    expect(p.read(`.ftpipe/displaced/${aside}/models/a.txt`)).toBe('my edit\n');
    expect(runs(p)).toBe(1);
  });

  it('restoring a modified file out keeps the edited copy aside', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': `stages:
  upper:
    uses: exec
    with:
      cmd: [sh, -c, "tr a-z A-Z < in.txt > up.txt"]
      deps: [in.txt]
      outs: { text: up.txt }
` });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    p.write('up.txt', 'hand-edited\n');
    const restore = await p.run(['run', 'r.yaml']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/upper: warning: up\.txt was not written by this stage \(or edited since\); moved to \.ftpipe\/displaced\/[^/]+\/up\.txt before restoring it/);
    expect(p.read('up.txt')).toBe('HELLO\n');
    const [aside] = readdirSync(join(p.root, '.ftpipe/displaced'));
    expect(p.read(`.ftpipe/displaced/${aside}/up.txt`)).toBe('hand-edited\n');
  });

  it('before a rerun only what the stage produced is removed; anything else is moved aside, never deleted', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': models, 'models/old-notes.txt': 'written before ftpipe ran' });
    const first = await p.run(['run', 'r.yaml']);
    expect(first.stdout).toMatch(/fit: warning: models\/old-notes\.txt was not written by this stage \(or edited since\); moved to \.ftpipe\/displaced\/[^/]+\/models\/old-notes\.txt before running/);
    p.write('models/notes.txt', 'my notes');
    p.write('in.txt', 'bye\n');
    const rerun = await p.run(['run', 'r.yaml']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/models\/notes\.txt was not written by this stage \(or edited since\); moved to \.ftpipe\/displaced\/[^/]+\/models\/notes\.txt/);
    const displaced = readdirSync(join(p.root, '.ftpipe/displaced'));
    expect(displaced).toHaveLength(2);
    expect(displaced.map((d) => readdirSync(join(p.root, '.ftpipe/displaced', d, 'models'))).flat().sort()).toEqual(['notes.txt', 'old-notes.txt']);
    expect(readdirSync(join(p.root, 'models')).sort()).toEqual(['a.txt', 'sub']);
    expect(p.read('models/a.txt')).toBe('bye\n');
  });
});

describe('no partial out survives', () => {
  const slow = (body: string) => `stages:
  upper:
    uses: exec
    with:
      cmd: [sh, -c, ${JSON.stringify(body)}]
      deps: [in.txt]
      outs: { text: up.txt }
`;

  it('a failing command: the half-written out is removed, the previous one put back', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': upper });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    p.write('in.txt', 'bye\n');
    p.write('r.yaml', slow('echo half > up.txt; exit 3'));
    const failed = await p.run(['run', 'r.yaml']);
    expect(failed.code).toBe(1);
    expect(p.read('up.txt')).toBe('HELLO\n'); // what ftpipe.lock records
    const fresh = makeProject({ 'in.txt': 'hello\n', 'r.yaml': slow('echo half > up.txt; exit 3') });
    expect((await fresh.run(['run', 'r.yaml'])).code).toBe(1);
    expect(fresh.exists('up.txt')).toBe(false);
  });

  it('Ctrl-C in the middle of the command, and a kill: no partial out is left once ftpipe has run again', async () => {
    for (const signal of ['SIGINT', 'SIGKILL'] as const) {
      // After the kill the command's shell lives on (nobody signals it): `go` lets it end without writing.
      const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': slow('echo partial > up.txt; touch started; while [ ! -f go ]; do sleep 0.05; done; exit 1') });
      const child = execa('node', [cliPath, 'run', 'r.yaml'], { cwd: p.root, reject: false, env: { CI: 'true' }, stdin: 'ignore' });
      while (!p.exists('started')) await new Promise((r) => setTimeout(r, 50));
      child.kill(signal);
      const ended = await child;
      p.write('go', '');
      if (signal === 'SIGINT') {
        expect(ended.exitCode).toBe(130);
        expect(p.exists('up.txt')).toBe(false);
      }
      p.write('r.yaml', slow('tr a-z A-Z < in.txt > up.txt'));
      const status = await p.run(['status', 'r.yaml']);
      expect(status.code).toBe(0);
      const rerun = await p.run(['run', 'r.yaml']);
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      expect(rerun.stdout).not.toContain('displaced'); // the killed run's partial out is known to be its own
      expect(p.read('up.txt')).toBe('HELLO\n');
      expect(existsSync(join(p.root, '.ftpipe/displaced'))).toBe(false);
    }
  });
});
