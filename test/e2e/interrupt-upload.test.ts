/**
 * Ctrl-C while `ftpipe run` uploads a large file to the embedded local provider: the run stops with
 * exit 130 and says it was interrupted — no stack trace from the server's upload route — and leaves no
 * upload temp file; the rerun uploads and finishes.
 */
import { describe, expect, it } from 'vitest';
import { createWriteStream, readdirSync, existsSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, makeProject } from '../helpers/project.js';

async function writeLargeJsonl(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  const line = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(1000) }, { role: 'assistant', content: 'y' }] }) + '\n';
  const chunk = line.repeat(Math.ceil((1 << 20) / line.length));
  for (let i = 0; i < megabytes; i++) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const RECIPE = `name: interrupt-upload
provider:
  kind: local
  # Every request waits before it is read, so the upload is surely under way when Ctrl-C comes.
  faults: { latencyMs: 1500 }
stages:
  upload:
    uses: upload
    with:
      input: data/big.jsonl
`;

describe('Ctrl-C during an upload to the embedded local provider', () => {
  it('exits 130 without a stack trace and leaves no temp file; the rerun uploads', async () => {
    const p = makeProject({ 'recipe.yaml': RECIPE });
    p.write('data/.keep', '');
    await writeLargeJsonl(join(p.root, 'data', 'big.jsonl'), 60);
    const child = execa('node', [cliPath, 'run', 'recipe.yaml', '--json'], { cwd: p.root, reject: false, env: { CI: 'true', NO_COLOR: '1' }, stdin: 'ignore', buffer: true });
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"stage:start"')) setTimeout(resolve, 800);
      });
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/interrupt/i);
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(result.stderr).not.toMatch(/internal error|Unhandled|ERR_STREAM/);
    const filesDir = join(p.root, '.ftpipe', 'local-provider', 'files');
    if (existsSync(filesDir)) expect(readdirSync(filesDir).filter((n) => n.startsWith('.'))).toEqual([]);

    const rerun = await p.run(['run', 'recipe.yaml'], { timeout: 120_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(readdirSync(filesDir).filter((n) => n.endsWith('.json'))).toHaveLength(1);
  });

  it('a SIGKILL mid-upload leaves a temp that the next run removes (issue 10 item 8, issue 11 item 9)', async () => {
    const p = makeProject({ 'recipe.yaml': RECIPE });
    p.write('data/.keep', '');
    await writeLargeJsonl(join(p.root, 'data', 'big.jsonl'), 60);
    const child = execa('node', [cliPath, 'run', 'recipe.yaml', '--json'], { cwd: p.root, reject: false, env: { CI: 'true', NO_COLOR: '1' }, stdin: 'ignore', buffer: true });
    const filesDir = join(p.root, '.ftpipe', 'local-provider', 'files');
    const temps = () => (existsSync(filesDir) ? readdirSync(filesDir).filter((n) => n.endsWith('.tmp')) : []);
    // Kill once the upload's temp exists: the server is receiving the file.
    for (let i = 0; i < 600 && temps().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(temps()).toHaveLength(1);
    child.kill('SIGKILL');
    await child;
    expect(temps()).toHaveLength(1); // what a kill leaves
    const rerun = await p.run(['run', 'recipe.yaml'], { timeout: 120_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(temps()).toEqual([]);
    expect(readdirSync(filesDir).filter((n) => n.endsWith('.json'))).toHaveLength(1);
  });
});
