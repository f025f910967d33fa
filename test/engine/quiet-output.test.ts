/** Quiet, honest output: plain logs keep no stale progress lines; a terminal without a width gets plain lines. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, runCli } from '../helpers/project.js';

async function initProject(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ftpipe-quiet-'));
  expect((await runCli(['init', '--template', 'csv'], dir)).code).toBe(0);
  return dir;
}

describe('run output', () => {
  it('plain lines (CI, pipes) carry no progress counters for stages that finish quickly', async () => {
    const dir = await initProject();
    const r = await runCli(['run', 'pipelines/finetune.yaml'], dir, { timeout: 240_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^ {2}[a-z-]+: \d+(\/\d+)?( |$)/m); // e.g. "  eval: 0/16 base 0/8"
    expect(r.stdout).toMatch(/^✓ eval ran/m);
  }, 300_000);

  it('a free provider prints no paid or $ lines; validate logs what needs attention, its full page stays in the report; --force says what it reused', async () => {
    const dir = await initProject();
    const r = await runCli(['run', 'pipelines/finetune.yaml'], dir, { timeout: 240_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/\$\d|^paid:/m);
    expect(r.stdout).toMatch(/^✓ validate ran\b.*: \d+ valid of \d+ examples in .*; [\d,]+ training tokens$/m);
    expect(r.stdout).not.toContain('| distribution |'); // the report's page is not pasted into the log
    const page = readFileSync(join(dir, '.ftpipe/out/pipelines/finetune.yaml/validate/summary.md'), 'utf8');
    expect(page).toContain('| distribution |');
    expect(page).toMatch(/nothing is billed on local/);
    // Retargeting reruns validate: its cost depends on the provider.
    const status = await runCli(['status', 'pipelines/finetune.yaml', '--provider', 'openai'], dir);
    expect(status.stdout).toMatch(/^validate: will run: param provider local→openai$/m);
    // --force reruns every stage: the closing line says which of them reused earlier work.
    const forced = await runCli(['run', 'pipelines/finetune.yaml', '--force'], dir, { timeout: 240_000 });
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^done in .*: \d+ ran \(of which \d+ reused earlier work: .*upload the upload file-\w+ already on the provider.*eval \d+ of \d+ answers from the response cache\)$/m);
  }, 400_000);

  it('a terminal that reports 0 columns gets plain lines instead of a broken task list', async () => {
    const dir = await initProject();
    expect((await runCli(['run', 'pipelines/finetune.yaml', '--until', 'clean'], dir)).code).toBe(0);
    // `script` gives the CLI a real pseudo-terminal; stty sets its size to 0×0.
    const r = await execa('script', ['-qec', `stty cols 0 rows 0; node ${JSON.stringify(cliPath)} run pipelines/finetune.yaml --until clean`, '/dev/null'], {
      cwd: dir,
      reject: false,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI')), NO_COLOR: '1', TERM: 'xterm' },
    });
    expect(r.exitCode, r.stdout).toBe(0);
    const lines = r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/).filter(Boolean);
    expect(lines).toContain('• examples cached');
    expect(lines).toContain('• clean cached');
    expect(lines.every((l) => l.length > 2)).toBe(true); // listr2 at width 0 printed one letter per line
  });
});
