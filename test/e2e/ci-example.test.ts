/** docs/ci.md's GitHub Actions workflow is real: parsed, and its `run:` steps run on a fresh `ftpipe init` project. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { cliPath, repoRoot, runCli } from '../helpers/project.js';

interface Step { uses?: string; run?: string; with?: Record<string, unknown> }
const workflowFile = join(repoRoot, 'examples/github-actions/ftpipe.yml');

describe('the GitHub Actions example', () => {
  it('is the workflow shown in docs/ci.md, caches .ftpipe, and its commands pass locally in order', async () => {
    const text = readFileSync(workflowFile, 'utf8');
    expect(readFileSync(join(repoRoot, 'docs/ci.md'), 'utf8')).toContain('```yaml\n' + text + '```');
    const workflow = parse(text) as { jobs: Record<string, { steps: Step[] }> };
    for (const job of Object.values(workflow.jobs)) {
      const cache = job.steps.find((s) => s.uses?.startsWith('actions/cache'));
      expect(cache?.with?.path).toBe('.ftpipe');
    }
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-ci-'));
    expect((await runCli(['init'], dir)).code).toBe(0);
    await execa('git', ['init', '-q'], { cwd: dir });
    // Before anything ran, the pull-request check says the lock is out of date (exit 3).
    const stale = await runCli(['run', 'pipelines/finetune.yaml', '--check'], dir);
    expect(stale.code).toBe(3);
    // main first (it writes the lock a developer would commit), then the pull-request job against it.
    for (const name of ['run', 'check']) {
      for (const step of workflow.jobs[name].steps) {
        if (!step.run || step.run === 'npm ci') continue;
        const command = step.run.replaceAll('npx ftpipe', `node ${JSON.stringify(cliPath)}`);
        const r = await execa('bash', ['-c', command], { cwd: dir, reject: false, env: { CI: 'true', NO_COLOR: '1' }, timeout: 240_000 });
        expect(r.exitCode, `${name}: ${step.run}\n${r.stdout}\n${r.stderr}`).toBe(0);
      }
    }
  }, 300_000);
});
