/** `ftpipe serve` runs the server standalone (real CLI process) and stops cleanly on Ctrl-C. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import OpenAI from 'openai';

const root = join(import.meta.dirname, '../..');

describe('ftpipe serve', () => {
  it('serves with a token from the environment and faults, until SIGINT', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-serve-'));
    const child = execa('node_modules/.bin/vite-node', ['src/cli/main.ts', 'serve', '--port', '0', '--data-dir', dataDir, '--token-env', 'LOCAL_TOKEN', '--fault', '503:first=1'], {
      cwd: root,
      env: { LOCAL_TOKEN: 'tok-123' },
      buffer: false,
      reject: false,
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const match = /local provider: (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error('serve exited early')));
    });
    const client = new OpenAI({ baseURL: url, apiKey: 'tok-123', maxRetries: 0 });
    await expect(client.models.list()).rejects.toMatchObject({ status: 503 });
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(0);
  });

  it('reports a bad --fault as a usage error', async () => {
    const result = await execa('node_modules/.bin/vite-node', ['src/cli/main.ts', 'serve', '--fault', 'boom'], { cwd: root, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Invalid --fault "boom"');
  });
});
