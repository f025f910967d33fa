/** Quiet, honest output: plain logs keep no stale progress lines; a terminal without a width gets plain lines. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
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
