/**
 * A full disk and a read-only workspace are the user's to fix: a located message, exit 1, nothing
 * half-written, and the rerun after freeing space succeeds. On a real small tmpfs where this machine
 * lets the tests mount one (root in a container), else by injecting the errno (test/helpers/fail-writes.mjs).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject, repoRoot, runCli } from '../helpers/project.js';
import { strayTemps } from '../helpers/stray-temps.js';

const recipe = `stages:
  big:
    uses: exec
    with:
      cmd: [sh, -c, "head -c \${SIZE:-1000} /dev/zero > big.bin"]
      env: { SIZE: "1000" }
      outs: { data: big.bin }
`;

const mounts: string[] = [];
function tmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ftpipe-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'r.yaml'), recipe);
  return dir;
}
const canMount = (() => {
  const dir = tmpfs('64k');
  if (!dir) return false;
  execFileSync('umount', [mounts.pop()!]);
  return true;
})();
afterAll(() => {
  for (const dir of mounts) execFileSync('umount', ['-l', dir]);
});

/** Fills the file system until it is full. */
function fill(dir: string): void {
  try {
    execFileSync('sh', ['-c', `head -c 100000000 /dev/zero > ${join(dir, 'filler')}`], { stdio: 'ignore' });
  } catch {
    // "No space left on device" is the point
  }
}

describe.skipIf(!canMount)('on a real tmpfs', () => {
  it('disk full before the run: a clear error about the lock, exit 1; after freeing space the run succeeds', async () => {
    const root = tmpfs('1m')!;
    fill(root);
    const full = await runCli(['run', 'r.yaml'], root);
    expect(full.stderr).toMatch(/^error: no space left on the device \((write|open|mkdir|link) <root>\/\.ftpipe\/[^)]*\) \[DISK_ENOSPC\]\n {2}hint: free some space/);
    expect(full.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
    expect(full.code).toBe(1);
    rmSync(join(root, 'filler'));
    const rerun = await runCli(['run', 'r.yaml'], root);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(strayTemps(root)).toEqual([]);
  });

  it('disk full in the middle of a stage: the stage fails clearly, nothing is published, the rerun succeeds', async () => {
    const root = tmpfs('2m')!;
    execFileSync('sh', ['-c', `head -c 1048576 /dev/zero > ${join(root, 'filler')}`]);
    const big = ['run', 'r.yaml', '--set', 'big.env.SIZE="700000"'];
    const full = await runCli(big, root);
    expect(full.stdout).toMatch(/✗ big failed: no space left on the device/);
    expect(full.stderr).toMatch(/^error: stage "big": no space left on the device \(\w+[^)]*\) \[DISK_ENOSPC\]\n {2}hint: free some space/);
    expect(full.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
    expect(full.code).toBe(1);
    rmSync(join(root, 'filler'));
    const rerun = await runCli(big, root);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('✓ big ran');
    expect(strayTemps(root)).toEqual([]);
  });

  it('a read-only workspace: a no-op run says so and exits 1; --check still answers; writable again, the run succeeds', async () => {
    const root = tmpfs('1m')!;
    const first = await runCli(['run', 'r.yaml'], root);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', root]);
    const ro = await runCli(['run', 'r.yaml'], root);
    expect(ro.stderr).toMatch(/^error: the file system is read-only \(\w+ <root>\/\.ftpipe\/[^)]*\) \[DISK_EROFS\]\n {2}hint: `ftpipe run` writes \.ftpipe\/ and ftpipe\.lock/);
    expect(ro.code).toBe(1);
    expect((await runCli(['run', 'r.yaml', '--check'], root)).code).toBe(0);
    execFileSync('mount', ['-o', 'remount,rw', root]);
    const again = await runCli(['run', 'r.yaml'], root);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('• big cached');
  });
});

describe('by injected errno (works without mounting)', () => {
  const failWrites = (path: string, code: string) => ({
    NODE_OPTIONS: `--import ${join(repoRoot, 'test/helpers/fail-writes.mjs')}`,
    FTPIPE_FAIL_WRITES_PATH: path,
    FTPIPE_FAIL_WRITES_CODE: code,
  });

  it('disk full writing the run record: exit 1 with where and what to do; the stage result is kept; the rerun succeeds', async () => {
    const p = makeProject({ 'r.yaml': recipe });
    const full = await p.run(['run', 'r.yaml'], { env: failWrites('.ftpipe/runs/last.json', 'ENOSPC') });
    expect(full.stderr).toMatch(/^error: no space left on the device \(\w+ <root>\/\.ftpipe\/runs\/last\.json\) \[DISK_ENOSPC\]\n {2}hint: free some space/);
    expect(full.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
    expect(full.code).toBe(1);
    expect(strayTemps(p.root)).toEqual([]);
    const rerun = await p.run(['run', 'r.yaml']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('• big cached'); // the lock entry written before the failure is intact
  });

  it('disk full storing a stage result: that stage fails clearly, exit 1', async () => {
    const p = makeProject({ 'r.yaml': recipe });
    const full = await p.run(['run', 'r.yaml'], { env: failWrites('.ftpipe/runs/cache/', 'ENOSPC') });
    expect(full.stderr).toMatch(/^error: stage "big": no space left on the device \(\w+ <root>\/\.ftpipe\/runs\/cache\/[^)]*\) \[DISK_ENOSPC\]/);
    expect(full.code).toBe(1);
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
  });

  it('a read-only .ftpipe: a no-op run says so, exit 1', async () => {
    const p = makeProject({ 'r.yaml': recipe });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const ro = await p.run(['run', 'r.yaml'], { env: failWrites('/.ftpipe/', 'EROFS') });
    expect(ro.stderr).toMatch(/^error: the file system is read-only \(\w+ <root>\/\.ftpipe\/[^)]*\) \[DISK_EROFS\]\n {2}hint: /);
    expect(ro.code).toBe(1);
  });

  it('status and run --check on a read-only checkout of a local-provider recipe only read (audit of issue 10 items 2, 9)', async () => {
    const p = makeProject({
      'r.yaml': 'provider: { kind: local }\nstages:\n  up:\n    uses: upload\n    with: { input: data/train.jsonl }\n',
      'data/train.jsonl': JSON.stringify({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }) + '\n',
    });
    const status = await p.run(['status', 'r.yaml'], { env: failWrites('/.ftpipe/', 'EROFS') });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('up: will run');
    const check = await p.run(['run', 'r.yaml', '--check'], { env: failWrites('/.ftpipe/', 'EROFS') });
    expect(check.code, check.stderr).toBe(3);
    expect(p.exists('.ftpipe/local-provider/instance-id')).toBe(false);
  });
});

