/**
 * `ftpipe trl join <job> --machine-rank N`: runs a multi-node job's launcher on another machine, in the
 * foreground. The job folder (data_dir) must be on storage every machine sees; the rank-0 machine's `ftpipe run`
 * started the job and follows it, the others only lend their GPUs.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { ExitCode, FtpipeError } from '../../errors.js';
import { TrlJobStore } from './job-store.js';
import { commandForMachine } from './launch.js';
import { driverEnv } from './python-env.js';

export async function joinJob(options: { jobId: string; machineRank: number; dataDir: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const store = new TrlJobStore(join(options.dataDir, 'jobs'));
  const state = await store.read(options.jobId);
  if (!state) throw new FtpipeError(`no job ${options.jobId} in ${store.dir}`, 'PROVIDER_NOT_FOUND', { hint: 'pass --data-dir: the shared folder holding the job (the provider block\'s data_dir)', exitCode: ExitCode.usage });
  if (state.launcher === 'python') throw new FtpipeError(`job ${state.id} runs in one process (launcher: python): there is nothing to join`, 'PARAM_INVALID', { exitCode: ExitCode.usage });
  const [python, ...args] = commandForMachine(state.command, options.machineRank);
  const result = await execa(python, args, { env: driverEnv(options.env), extendEnv: false, stdio: 'inherit', reject: false });
  return result.exitCode ?? 1;
}
