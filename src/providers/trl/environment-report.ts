/** `ftpipe trl check`: which Python the trl provider would use, its packages, its devices, and what is wrong. */
import { choosePython, preflight } from './python-env.js';

export async function environmentReport(options: { python?: string; env: NodeJS.ProcessEnv; write: (line: string) => void }): Promise<number> {
  const choice = choosePython({ configured: options.python, env: options.env });
  const report = await preflight(choice, { env: options.env, devices: true, vllm: true });
  options.write(`python   ${report.executable} (Python ${report.python}, from ${choice.source})`);
  for (const [name, version] of Object.entries(report.packages)) options.write(`${name.padEnd(12)} ${version ?? 'missing'}`);
  options.write(`${'vllm'.padEnd(12)} ${report.vllm ?? 'not installed (server: transformers only)'}`);
  const d = report.devices;
  if (d) options.write(`devices  ${d.cpu_count} CPU cores${d.cuda ? `, ${d.gpu_count} GPU(s): ${d.gpu_names.join(', ')}` : ', no CUDA GPU'} (torch ${d.torch})`);
  for (const problem of report.problems) options.write(`problem  ${problem.message}${problem.hint ? `\n  hint: ${problem.hint}` : ''}`);
  if (!report.problems.length) options.write('ready');
  return report.problems.length ? 1 : 0;
}
