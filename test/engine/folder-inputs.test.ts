/**
 * Folder inputs (issue 11 item 2): listed on every run (to see added and removed files) but each file is
 * re-read only when its size, mtime or inode changed, like git's index and DVC's state DB.
 */
import { describe, expect, it } from 'vitest';
import { rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject } from '../helpers/project.js';

const RECIPE = `stages:
  count:
    uses: exec
    with:
      cmd: [sh, -c, "echo run >> runs.txt; cat data/docs/*.txt data/docs/nested/*.txt | wc -c > count.txt"]
      deps: [data/docs]
      outs: { count: count.txt }
`;

function project() {
  return makeProject({ 'data/docs/a.txt': 'alpha\n', 'data/docs/b.txt': 'beta\n', 'data/docs/nested/c.txt': 'gamma\n', 'r.yaml': RECIPE });
}
const runs = (p: ReturnType<typeof project>) => p.read('runs.txt').trim().split('\n').length;

describe('a folder input', () => {
  it('reruns when a file inside is edited, added or removed, and not otherwise', async () => {
    const p = project();
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('count: up to date');
    p.write('data/docs/nested/c.txt', 'gamma ray\n');
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('count: will run: input data/docs changed');
    await p.run(['run', 'r.yaml']);
    p.write('data/docs/d.txt', 'delta\n');
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('count: will run: input data/docs changed');
    await p.run(['run', 'r.yaml']);
    rmSync(join(p.root, 'data/docs/a.txt'));
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('count: will run: input data/docs changed');
    await p.run(['run', 'r.yaml']);
    expect((await p.run(['run', 'r.yaml'])).stdout).toContain('• count cached');
    expect(runs(p)).toBe(4);
    expect(p.read('.ftpipe/out/r.yaml/count/count').trim()).toBe(String('beta\ndelta\ngamma ray\n'.length));
  });

  it('keeps each file of the folder in the stat cache: an unchanged (size, mtime, inode) file is not re-read', async () => {
    const p = project();
    const file = join(p.root, 'data/docs/b.txt');
    const stamp = 1_700_000_000; // whole seconds: an mtime that survives the round trip exactly
    utimesSync(file, stamp, stamp);
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const cache = JSON.parse(p.read('.ftpipe/state/stat-cache.json')) as Record<string, { digest: string }>;
    expect(Object.keys(cache).filter((k) => k.startsWith(join(p.root, 'data', 'docs'))).sort()).toEqual(
      ['a.txt', 'b.txt', join('nested', 'c.txt')].map((f) => join(p.root, 'data', 'docs', f)),
    );
    // Same size, same inode, mtime put back: the stat cache vouches for it, so the file is not hashed again.
    const before = statSync(file);
    p.write('data/docs/b.txt', 'BETA\n');
    utimesSync(file, stamp, stamp);
    expect(statSync(file).ino).toBe(before.ino);
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('count: up to date');
    // Any stat change is seen.
    p.write('data/docs/b.txt', 'BETA\n');
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('count: will run: input data/docs changed');
  });
});
