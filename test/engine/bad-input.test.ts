/**
 * Inputs that used to hang ftpipe or end in "internal error … this is a bug": each now gets a located
 * message and the right exit code (2 for what is wrong in the recipe, the lock or the command line).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { makeProject } from '../helpers/project.js';

const exec = (extra = '') => `stages:
  x:
    uses: exec
    with:
      cmd: [sh, -c, "cat data/* > x.txt"]
      deps: [data]
      outs: { text: x.txt }${extra}
`;
const noBug = /internal error|this is a bug|\n\s+at /;

describe('files that are not regular files', () => {
  it('a FIFO given as an input is refused (it used to hang forever while hashing)', async () => {
    const p = makeProject({ 'r.yaml': exec().replace('deps: [data]', 'deps: [data/pipe]') });
    execFileSync('mkdir', ['-p', `${p.root}/data`]);
    execFileSync('mkfifo', [`${p.root}/data/pipe`]);
    for (const verb of ['lint', 'run']) {
      const refused = await p.run([verb, 'r.yaml'], { timeout: 30_000 });
      expect(refused.stderr).toMatch(/^r\.yaml:6:14: error: stage "x": input deps: data\/pipe is a FIFO \(named pipe\), not a regular file\n {2}hint: /);
      expect(refused.code).toBe(2);
    }
  });

  it('a FIFO inside a folder input is refused when the stage would hash it', async () => {
    const p = makeProject({ 'r.yaml': exec(), 'data/a.txt': 'a\n' });
    execFileSync('mkfifo', [`${p.root}/data/pipe`]);
    const run = await p.run(['run', 'r.yaml'], { timeout: 30_000 });
    expect(run.stderr).toMatch(/<root>\/data\/pipe is a FIFO \(named pipe\), not a regular file \[INPUT_NOT_REGULAR\]/);
    expect(run.code).toBe(1);
  });
});

describe('recipes, overrides and locks that are malformed', () => {
  it('a YAML alias bomb: located, exit 2', async () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((l, i) => `${l}: &${l} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)];
    const p = makeProject({ 'r.yaml': `vars:\n${rows.map((r) => `  ${r}`).join('\n')}\n${exec().replace('stages:', 'stages:')}` });
    const run = await p.run(['lint', 'r.yaml']);
    expect(run.stderr).toMatch(/^r\.yaml:3:\d+: error: YAML aliases expand to too many nodes \(limit 100\)/);
    expect(run.stderr).not.toMatch(noBug);
    expect(run.code).toBe(2);
  });

  it('nesting deeper than 64 levels (and deeper than the YAML parser copes with): located, exit 2', async () => {
    for (const depth of [100, 5000]) {
      const p = makeProject({ 'r.yaml': `vars:\n  deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n${exec()}` });
      const run = await p.run(['run', 'r.yaml']);
      expect(run.stderr, `depth ${depth}`).toMatch(/^r\.yaml:2:\d+: error: nesting (deeper than 64 levels|too deep to parse \(more than 64 levels\))\n {2}hint: flatten the structure/);
      expect(run.code).toBe(2);
    }
  });

  it('a --set value that is not valid YAML: said so, exit 2', async () => {
    const p = makeProject({ 'r.yaml': exec() });
    const run = await p.run(['run', 'r.yaml', '--set', 'x.cmd=[sh, -c']);
    expect(run.stderr).toMatch(/^--set: error: --set x\.cmd=\[sh, -c: the value is not valid YAML \(.*\)\n {2}hint: quote it to pass it as text/);
    expect(run.stderr).not.toMatch(noBug);
    expect(run.code).toBe(2);
  });

  it('a lock file with a wrong shape: located, exit 2', async () => {
    const p = makeProject({ 'r.yaml': exec(), 'data/a.txt': 'a\n' });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const lock = parse(p.read('ftpipe.lock'));
    lock.pipelines['r.yaml'].stages.x.inputs = 7; // as a bad merge might leave it
    p.write('ftpipe.lock', stringify(lock));
    const run = await p.run(['status', 'r.yaml']);
    expect(run.stderr).toMatch(/^ftpipe\.lock:\d+:\d+: error: pipelines\.r\.yaml\.stages\.x\.inputs: `inputs` must be a list\n {2}hint: restore it from git/);
    expect(run.code).toBe(2);
    p.write('ftpipe.lock', 'schema: 1\npipelines:\n  r.yaml: [1, 2]\n');
    const list = await p.run(['run', 'r.yaml']);
    expect(list.stderr).toMatch(/^ftpipe\.lock:3:11: error: pipelines\.r\.yaml: expected `stages:`/);
    expect(list.code).toBe(2);
  });
});

describe('values', () => {
  it('--max-cost must be a number ≥ 0', async () => {
    const p = makeProject({ 'r.yaml': exec(), 'data/a.txt': 'a\n' });
    for (const value of ['abc', '-5', '']) {
      const run = await p.run(['run', 'r.yaml', '--max-cost', value]);
      expect(run.stderr, value).toContain(`error: option '--max-cost <usd>' argument '${value}' is invalid. expected a number of 0 or more`);
      expect(run.code).toBe(2);
    }
    expect(p.exists('ftpipe.lock')).toBe(false);
  });

  it('a number too large to be finite (1e400, .inf) is refused where it is written, also through --set', async () => {
    const p = makeProject({ 'r.yaml': exec('\n      env: { N: "1" }\nvars: { limit: 1e400 }'), 'data/a.txt': 'a\n' });
    const run = await p.run(['run', 'r.yaml']);
    expect(run.stderr).toMatch(/^r\.yaml:9:16: error: 1e400 is not a finite number\n {2}hint: /);
    expect(run.code).toBe(2);
    p.write('r.yaml', exec());
    const set = await p.run(['run', 'r.yaml', '--set', 'x.max_tokens=.inf']);
    expect(set.stderr).toMatch(/--set x\.max_tokens=\.inf: Infinity is not a finite number/);
    expect(set.code).toBe(2);
    expect(p.exists('ftpipe.lock')).toBe(false);
  });
});
