/**
 * Starts a job as its own process group that outlives ftpipe (Ctrl-C, a crash, SIGKILL): the driver's supervisor
 * (python -m ftpipe_trl.supervise) runs the launcher — python, torchrun or accelerate launch — and records the
 * exit code. Output goes straight to files in the job folder (no pipe to ftpipe that could break).
 */
import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';
import { ExitCode, FtpipeError } from '../../errors.js';
import type { TrlConfig } from './block.js';
import { driverEnv } from './python-env.js';

/** accelerate configs TRL ships in trl/accelerate_configs/ (named without the .yaml). */
export const trlAccelerateConfigs = ['zero1', 'zero2', 'zero3', 'fsdp1', 'fsdp2', 'multi_gpu', 'single_gpu'];

export async function launcherCommand(python: string, config: TrlConfig, specPath: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const driver = ['-m', 'ftpipe_trl.train', '--spec', specPath];
  if (config.launcher === 'python') return [python, ...driver];
  const machines = config.numMachines;
  const multiNode = machines > 1;
  if (multiNode && !config.mainProcessIp) {
    throw new FtpipeError('num_machines > 1 needs main_process_ip (the address of the machine with machine_rank 0)', 'PARAM_INVALID', { exitCode: ExitCode.usage, hint: 'set provider.main_process_ip (and main_process_port)' });
  }
  if (config.launcher === 'torchrun') {
    const total = config.numProcesses ?? 1;
    if (total % machines) throw new FtpipeError(`num_processes ${total} cannot be split evenly over num_machines ${machines}`, 'PARAM_INVALID', { exitCode: ExitCode.usage, hint: 'torchrun starts the same number of processes on every machine' });
    // --standalone: a single machine picks a free rendezvous port itself, so concurrent jobs never collide.
    const rendezvous = multiNode
      ? ['--nnodes', String(machines), '--node_rank', String(config.machineRank), '--master_addr', config.mainProcessIp!, '--master_port', String(config.mainProcessPort ?? 29500)]
      : ['--standalone', '--nnodes', '1'];
    return [python, '-m', 'torch.distributed.run', ...rendezvous, '--nproc_per_node', String(total / machines), ...driver];
  }
  const configFile = config.accelerateConfig && trlAccelerateConfigs.includes(config.accelerateConfig) ? await shippedAccelerateConfig(python, config.accelerateConfig, env) : config.accelerateConfig;
  return [
    python,
    '-m',
    'accelerate.commands.launch',
    ...(configFile ? ['--config_file', configFile] : []),
    ...(config.numProcesses ? ['--num_processes', String(config.numProcesses)] : []),
    '--num_machines',
    String(machines),
    '--machine_rank',
    String(config.machineRank),
    ...(config.mainProcessIp ? ['--main_process_ip', config.mainProcessIp] : []),
    ...(config.mainProcessPort ? ['--main_process_port', String(config.mainProcessPort)] : []),
    ...(config.deepspeedConfig ? ['--use_deepspeed', '--deepspeed_config_file', config.deepspeedConfig] : []),
    ...driver,
  ];
}

/** The same command for another machine of a multi-node job (`ftpipe trl join`). */
export function commandForMachine(command: string[], machineRank: number): string[] {
  const out = [...command];
  for (const flag of ['--machine_rank', '--node_rank']) {
    const at = out.indexOf(flag);
    if (at >= 0) out[at + 1] = String(machineRank);
  }
  return out;
}

/** Spawns the supervisor detached (a new session and process group); returns its pid. */
export function spawnDetached(options: { python: string; command: string[]; jobDir: string; exitFile: string; env: NodeJS.ProcessEnv }): number {
  const out = openSync(`${options.jobDir}/stdout.log`, 'a');
  const err = openSync(`${options.jobDir}/stderr.log`, 'a');
  try {
    const child = execa(options.python, ['-m', 'ftpipe_trl.supervise', '--exit-file', options.exitFile, '--pid-file', `${options.jobDir}/supervisor.json`, '--', ...options.command], {
      cwd: options.jobDir,
      env: driverEnv(options.env),
      extendEnv: false,
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'ignore',
      // Descriptors go straight to spawn (execa's types list only 1 and 2; a {file} target would be piped
      // through this process, and the pipe would break when ftpipe exits).
      stdout: out as 1,
      stderr: err as 2,
    });
    child.catch(() => {}); // its end is read from exit.json, by whichever ftpipe looks next
    child.unref();
    if (!child.pid) throw new FtpipeError(`could not start ${options.python}`, 'PYTHON_MISSING', { hint: 'check provider.python / FTPIPE_PYTHON, or run `npx ftpipe trl setup`' });
    return child.pid;
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

async function shippedAccelerateConfig(python: string, name: string, env: NodeJS.ProcessEnv): Promise<string> {
  // find_spec locates the package without importing it (importing trl takes seconds).
  const code = 'import importlib.util as u, os, sys; s = u.find_spec("trl"); print(os.path.join(s.submodule_search_locations[0], "accelerate_configs", sys.argv[1] + ".yaml"))';
  const result = await execa(python, ['-c', code, name], { env: driverEnv(env), extendEnv: false, reject: false });
  if (result.failed) throw new FtpipeError(`cannot find TRL's accelerate config ${name}: ${result.stderr.trim().split('\n').pop()}`, 'PYTHON_PACKAGE_MISSING', { hint: 'run `npx ftpipe trl setup`', exitCode: ExitCode.usage });
  return result.stdout.trim();
}
