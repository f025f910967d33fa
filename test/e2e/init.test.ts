/**
 * A newcomer's first minutes: the packed tarball installed in an empty folder, `ftpipe init`, then
 * `ftpipe run` works at once; every template runs; init never overwrites; the workspace-root rule.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot, runCli } from '../helpers/project.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'ftpipe-init-'));

describe('ftpipe init', () => {
  it('from the packed tarball in an empty project: init, then run end to end, then a no-op rerun', async () => {
    const packDir = emptyDir();
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: repoRoot });
    const [{ filename, files }] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const paths = files.map((f) => f.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('templates/csv/pipelines/finetune.yaml');
    expect(paths).toContain('docs/ci.md');
    expect(paths.filter((p) => p.startsWith('dist/bench/') || p.startsWith('data/') || p.startsWith('test/') || p.endsWith('.map'))).toEqual([]);

    const project = emptyDir();
    await execa('npm', ['init', '-y'], { cwd: project });
    await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, filename)], { cwd: project, timeout: 300_000 });
    const ftpipe = (args: string[]) => execa('npx', ['--no-install', 'ftpipe', ...args], { cwd: project, reject: false, env: { CI: 'true', NO_COLOR: '1' }, timeout: 240_000 });
    const init = await ftpipe(['init', '--template', 'csv']);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain('npx ftpipe run pipelines/finetune.yaml');
    // The editor schema comment points at the installed package's schema.
    expect(readFileSync(join(project, 'pipelines/finetune.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/ftpipe\/schemas\/pipeline\.schema\.json\n/);
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toMatch(/^\.ftpipe\/$/m);
    const run = await ftpipe(['run', 'pipelines/finetune.yaml']);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const scores = /✓ eval ran\b.*: accuracy base ([\d.]+) → fine-tuned ([\d.]+)/.exec(run.stdout);
    expect(Number(scores?.[2])).toBeGreaterThan(Number(scores?.[1]));
    const again = await ftpipe(['run', 'pipelines/finetune.yaml']);
    expect(again.stdout).toMatch(/done in .*: 9 cached/);
  }, 600_000);

  for (const template of ['chat-jsonl', 'sharegpt'] as const) {
    it(`--template ${template} runs right after init, with its eval gate passing`, async () => {
      const dir = join(emptyDir(), 'my project');
      const init = await runCli(['init', dir, '--template', template], tmpdir());
      expect(init.code, init.stderr).toBe(0);
      expect(readdirSync(join(dir, 'data')).sort()).toContain('README.md');
      const run = await runCli(['run', 'pipelines/finetune.yaml'], dir, { timeout: 240_000 });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/✓ eval ran\b.*fine-tuned/);
      expect(readFileSync(join(dir, 'pipelines/finetune.yaml'), 'utf8')).toMatch(/^name: my-project$/m);
    }, 300_000);
  }

  it('writes nothing when a file it would create exists, and says which', async () => {
    const dir = emptyDir();
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'pipelines/finetune.yaml'), 'mine\n');
    const r = await runCli(['init'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: . already has pipelines/finetune.yaml; nothing was written [INIT_EXISTS]');
    expect(readFileSync(join(dir, 'pipelines/finetune.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'ftpipe.lock'))).toBe(false);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('adds its .gitignore entries to an existing .gitignore without repeating what is there', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n.env');
    expect((await runCli(['init'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n# ftpipe: the local store and caches, and API keys\n.ftpipe/\n.env.*\n');
  });
});

describe('the workspace root', () => {
  const chat = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }) + '\n';
  const recipe = 'stages:\n  clean:\n    uses: clean\n    with: { input: data/x.jsonl }\n';

  it('without .git or ftpipe.lock it is the current directory when the recipe is inside it (not pipelines/)', async () => {
    const dir = emptyDir();
    mkdirSync(join(dir, 'pipelines'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'pipelines/r.yaml'), recipe);
    writeFileSync(join(dir, 'data/x.jsonl'), chat);
    const r = await runCli(['run', 'pipelines/r.yaml'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(dir, 'ftpipe.lock'))).toBe(true);
    expect(existsSync(join(dir, 'pipelines/.ftpipe'))).toBe(false);
    // From inside pipelines/, the lock written by that run marks the root, and the root is printed.
    const inside = await runCli(['status', 'r.yaml'], join(dir, 'pipelines'));
    expect(inside.code).toBe(0);
    expect(inside.stderr).toBe('workspace root: .. (recipe paths resolve against it)\n');
    expect(inside.stdout).toContain('clean: up to date');
  });

  it('a stale pipelines/.ftpipe does not keep the root there once the project has .git', async () => {
    const dir = emptyDir();
    mkdirSync(join(dir, 'pipelines/.ftpipe'), { recursive: true });
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'pipelines/r.yaml'), recipe);
    writeFileSync(join(dir, 'data/x.jsonl'), chat);
    const r = await runCli(['run', 'r.yaml'], join(dir, 'pipelines'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('workspace root: .. (recipe paths resolve against it)');
    expect(existsSync(join(dir, 'ftpipe.lock'))).toBe(true);
  });
});
