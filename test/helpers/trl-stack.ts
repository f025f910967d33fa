/**
 * Whether the trl provider's Python stack is here (the venv of `ftpipe trl setup`, or FTPIPE_PYTHON). Tests that
 * train real models use `describeWithTrl`: in CI a missing stack fails loudly (.ci/run installs it); locally
 * they are skipped with one line saying how to run them.
 */
import { execaSync } from 'execa';
import { describe } from 'vitest';
import { choosePython, driverEnv } from '../../src/providers/trl/python-env.js';

function findStack(): { python?: string; problem?: string } {
  try {
    const { python } = choosePython({ env: process.env });
    const result = execaSync(python, ['-m', 'ftpipe_trl.preflight'], { env: driverEnv(process.env), extendEnv: false, reject: false });
    const report = JSON.parse(result.stdout || '{}') as { problems?: Array<{ message: string }> };
    return report.problems?.length ? { problem: report.problems[0].message } : { python };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

export const trlStack = findStack();

export const describeWithTrl: typeof describe = ((name: string, body: () => void) => {
  if (trlStack.python) return describe(name, body);
  if (process.env.CI) {
    return describe(name, () => {
      throw new Error(`the trl Python stack is missing in CI (${trlStack.problem}): .ci/run must run \`node bin/ftpipe.js trl setup --with-tests\``);
    });
  }
  console.log(`skipping "${name}": no trl Python stack (${trlStack.problem}); run \`npx ftpipe trl setup --with-tests\` to run these tests`);
  return describe.skip(name, body);
}) as typeof describe;
