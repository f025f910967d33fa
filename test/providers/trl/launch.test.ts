/**
 * The launch commands the trl provider builds (issue 12 item 6): accelerate with a config file, DeepSpeed and
 * several machines, torchrun, and the same job on another machine (`ftpipe trl join`). With the trl stack here,
 * TRL's shipped ZeRO-3 config is found and accelerate's own parser accepts every flag ftpipe passes.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { commandForMachine, launcherCommand } from '../../../src/providers/trl/launch.js';
import { resolveTrlConfig } from '../../../src/providers/trl/block.js';
import { driverEnv } from '../../../src/providers/trl/python-env.js';
import { describeWithTrl, trlStack } from '../../helpers/trl-stack.js';

const workspace = mkdtempSync(join(tmpdir(), 'ftpipe-trl-launch-'));
const config = (block: Record<string, unknown>) => resolveTrlConfig({ kind: 'trl', base_model: 'tiny', ...block }, workspace);
const driver = ['-m', 'ftpipe_trl.train', '--spec', '/jobs/j1/spec.json'];

describe('trl launch commands', () => {
  it('accelerate on two machines with a config file and DeepSpeed; join swaps the machine rank', async () => {
    const c = config({ launcher: 'accelerate', accelerate_config: 'cluster.yaml', num_processes: 16, num_machines: 2, machine_rank: 0, main_process_ip: '10.0.0.1', main_process_port: 29501, deepspeed_config: 'ds.json' });
    const command = await launcherCommand('py', c, '/jobs/j1/spec.json', {});
    expect(command).toEqual(['py', '-m', 'accelerate.commands.launch', '--config_file', 'cluster.yaml', '--num_processes', '16', '--num_machines', '2', '--machine_rank', '0', '--main_process_ip', '10.0.0.1', '--main_process_port', '29501', '--use_deepspeed', '--deepspeed_config_file', join(workspace, 'ds.json'), ...driver]);
    expect(commandForMachine(command, 1)).toEqual(command.map((arg, i) => (command[i - 1] === '--machine_rank' ? '1' : arg)));
  });

  it('torchrun: standalone on one machine, a rendezvous across several; uneven splits and a missing address are recipe errors', async () => {
    expect(await launcherCommand('py', config({ launcher: 'torchrun', num_processes: 2 }), '/jobs/j1/spec.json', {})).toEqual(['py', '-m', 'torch.distributed.run', '--standalone', '--nnodes', '1', '--nproc_per_node', '2', ...driver]);
    const multi = await launcherCommand('py', config({ launcher: 'torchrun', num_processes: 8, num_machines: 2, machine_rank: 1, main_process_ip: '10.0.0.1' }), '/jobs/j1/spec.json', {});
    expect(multi).toEqual(['py', '-m', 'torch.distributed.run', '--nnodes', '2', '--node_rank', '1', '--master_addr', '10.0.0.1', '--master_port', '29500', '--nproc_per_node', '4', ...driver]);
    await expect(launcherCommand('py', config({ launcher: 'torchrun', num_processes: 3, num_machines: 2, main_process_ip: '10.0.0.1' }), 's', {})).rejects.toMatchObject({ code: 'PARAM_INVALID' });
    await expect(launcherCommand('py', config({ launcher: 'accelerate', num_machines: 2 }), 's', {})).rejects.toMatchObject({ code: 'PARAM_INVALID', message: expect.stringContaining('main_process_ip') });
  });
});

describeWithTrl('trl launch commands against the installed accelerate and TRL', () => {
  it("finds TRL's shipped zero3 config, and accelerate's parser accepts the flags (DeepSpeed and multi-node included)", async () => {
    const python = trlStack.python!;
    const command = await launcherCommand(python, config({ launcher: 'accelerate', accelerate_config: 'zero3', num_processes: 2, num_machines: 2, machine_rank: 1, main_process_ip: '127.0.0.1', main_process_port: 29511, deepspeed_config: 'ds.json' }), '/jobs/j1/spec.json', process.env);
    const file = command[command.indexOf('--config_file') + 1];
    expect(file).toMatch(/trl[\\/]accelerate_configs[\\/]zero3\.yaml$/);
    expect(existsSync(file)).toBe(true);
    // Parse the launch arguments exactly as `accelerate launch` does, without launching anything.
    const parse = `import sys; from accelerate.commands.launch import launch_command_parser as p; a = p().parse_args(sys.argv[1:]); print(a.num_machines, a.machine_rank, a.main_process_ip, a.main_process_port, a.config_file == ${JSON.stringify(file)}, a.use_deepspeed, a.deepspeed_config_file == ${JSON.stringify(join(workspace, 'ds.json'))}, a.module, a.training_script, a.training_script_args)`;
    const args = command.slice(command.indexOf('accelerate.commands.launch') + 1);
    const parsed = await execa(python, ['-c', parse, ...args], { env: driverEnv(process.env), extendEnv: false, reject: false });
    expect(parsed.exitCode, parsed.stderr).toBe(0);
    expect(parsed.stdout.trim()).toBe("2 1 127.0.0.1 29511 True True True True ftpipe_trl.train ['--spec', '/jobs/j1/spec.json']");
  }, 120_000);
});
