/**
 * The Python driver's own tests (python/tests, pytest on the tiny model), run as part of `npm test` so CI's one
 * command covers both sides of the contract.
 */
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { driverEnv } from '../../../src/providers/trl/python-env.js';
import { repoRoot } from '../../helpers/project.js';
import { describeWithTrl, trlStack } from '../../helpers/trl-stack.js';

describeWithTrl('the Python driver (pytest)', () => {
  it('passes its tests', { timeout: 900_000 }, async () => {
    const result = await execa(trlStack.python!, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'python/tests'], { cwd: repoRoot, env: driverEnv(process.env), extendEnv: false, reject: false, all: true });
    if (/No module named pytest/.test(result.all ?? '')) throw new Error('pytest is not in the trl venv: run `npx ftpipe trl setup --with-tests`');
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/\d+ passed/);
  });
});
