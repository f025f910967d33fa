/**
 * The store is trusted only while it is intact: a stored object that changed is dropped with a warning
 * and its stage reruns; temp files of writers that died are swept by the next run, and never left in
 * the repository root.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeProject } from '../helpers/project.js';
import { strayTemps } from '../helpers/stray-temps.js';
import { runCount, upperShoutRecipe } from '../helpers/counting-recipes.js';

const recipe = upperShoutRecipe;
const runs = runCount;

async function deadPid(): Promise<number> {
  const child = execa('node', ['-e', '0']);
  await child;
  return child.pid!;
}

describe('store integrity', () => {
  it('an object with bytes appended is dropped with a warning, and the stage reruns', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': recipe });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const lock = p.read('ftpipe.lock');
    const digest = /text: \{ digest: "?sha256:([0-9a-f]{64})"?, size: 6/.exec(lock)?.[1] ?? /digest: sha256:([0-9a-f]{64})\n\s+size: 6\n/.exec(lock)![1];
    const object = join(p.root, '.ftpipe/objects', digest.slice(0, 2), digest.slice(2));
    chmodSync(object, 0o644);
    appendFileSync(object, 'tampered\n');
    const rerun = await p.run(['run', 'r.yaml']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/warning: stored object sha256:[0-9a-f]{12}… is corrupt \(its size is 15 bytes, the lock says 6\); dropped it/);
    expect(rerun.stdout).toContain('✓ upper ran');
    expect(runs(p)).toBe(2);
    expect(p.read('.ftpipe/out/r.yaml/shout/text')).toBe('HELLO\n!\n');
  });

  it('an object whose content changed at the same size is caught by its digest when used', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': recipe });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const digest = /digest: sha256:([0-9a-f]{64})\n\s+size: 6\n/.exec(p.read('ftpipe.lock'))![1];
    const object = join(p.root, '.ftpipe/objects', digest.slice(0, 2), digest.slice(2));
    chmodSync(object, 0o644);
    writeFileSync(object, 'JELLO\n');
    const rerun = await p.run(['run', 'r.yaml']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/stored object .* is corrupt \(its content no longer matches its digest\)/);
    expect(runs(p)).toBe(2);
    expect(p.read('.ftpipe/out/r.yaml/shout/text')).toBe('HELLO\n!\n');
  });

  it('the next run sweeps temp files of dead writers, keeps those of live ones, and the lock temp is never in the root', async () => {
    const p = makeProject({ 'in.txt': 'hello\n', 'r.yaml': recipe });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const dead = await deadPid();
    const leftovers = [
      `.ftpipe.lock.${dead}.0badf00d.tmp`,
      `.ftpipe/state/.stat-cache.json.${dead}.0badf00d.tmp`,
      `.ftpipe/runs/.last.json.${dead}.0badf00d.tmp`,
      `.ftpipe/objects/ab/.cdef.${dead}.0badf00d.tmp`,
      `.ftpipe/cache/eval-responses/ab/cdef.json.${dead}.0badf00d.tmp`,
      `.ftpipe/local-provider/models/.ft-x.json.${dead}.0badf00d.tmp`,
    ];
    for (const path of leftovers) p.write(path, 'partial');
    mkdirSync(join(p.root, `.ftpipe/objects/cd/.ef.d.${dead}.0badf00d.tmp/sub`), { recursive: true });
    const live = `.ftpipe/local-provider/models/.ft-y.json.${process.pid}.0badf00d.tmp`; // a server writing right now
    p.write(live, 'in progress');
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect(strayTemps(p.root)).toEqual([live]);
    expect(existsSync(join(p.root, `.ftpipe/objects/cd/.ef.d.${dead}.0badf00d.tmp`))).toBe(false);
    // A changed input rewrites ftpipe.lock; its temp is made under .ftpipe/, not next to the lock.
    p.write('in.txt', 'bye\n');
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect(readdirSync(p.root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
