/**
 * The trl provider without a usable Python: each case fails before anything starts, with the error that says
 * what is missing and the command that fixes it (these run everywhere: they need no ML stack).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import trl from '../../../src/providers/trl.js';
import type { FtpipeError } from '../../../src/errors.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'ftpipe-trl-env-'));
const jobSpec = { model: 'tiny', trainingFile: 'file-trl-000000000000000000000000', idempotencyKey: 'k' };

async function failure(promise: Promise<unknown>): Promise<FtpipeError> {
  const error = await promise.then(() => undefined, (e: FtpipeError) => e);
  expect(error, 'expected a failure').toBeDefined();
  return error!;
}

describe('trl provider: the Python environment', () => {
  it('with no Python configured and no setup venv, says where it looked and to run `ftpipe trl setup`', async () => {
    const ws = workspace();
    const error = await failure(trl.create({ kind: 'trl' }, { workspace: ws, env: { ...process.env, FTPIPE_PYTHON: '', FTPIPE_TRL_VENV: join(ws, 'no-venv') } }));
    expect(error.code).toBe('PYTHON_MISSING');
    expect(error.message).toContain(join(ws, 'no-venv'));
    expect(error.hint).toContain('npx ftpipe trl setup');
  });

  it('with a Python that does not exist, names it and where it came from', async () => {
    const ws = workspace();
    const provider = await trl.create({ kind: 'trl', python: '/nonexistent/bin/python3' }, { workspace: ws, env: process.env });
    const error = await failure(provider.createJob(jobSpec));
    expect(error.code).toBe('PYTHON_MISSING');
    expect(error.message).toBe('Python not found: /nonexistent/bin/python3 (from provider.python)');
  });

  it('with a Python that lacks the packages, lists them and prints the fix', async () => {
    const ws = workspace();
    const provider = await trl.create({ kind: 'trl', python: 'python3' }, { workspace: ws, env: { ...process.env, PYTHONNOUSERSITE: '1' } });
    const error = await failure(provider.createJob(jobSpec));
    expect(error.code).toBe('PYTHON_PACKAGE_MISSING');
    expect(error.message).toMatch(/lacks the Python packages the trl provider needs: torch, transformers, trl, peft, accelerate, datasets \(Python from provider.python\)/);
    expect(error.hint).toContain('npx ftpipe trl setup');
  });

  it('refuses fields another kind\'s block left behind (--provider trl on a local recipe)', async () => {
    const error = await failure(trl.create({ kind: 'trl', faults: { latencyMs: 5 } }, { workspace: workspace(), env: process.env }));
    expect(error.message).toBe('provider trl: unknown field faults');
    expect(error.hint).toContain('--provider only changes the kind');
  });
});
