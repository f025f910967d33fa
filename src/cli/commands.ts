import type { Command } from 'commander';

type Register = (program: Command) => void;

/** Every subcommand module; optional ones (from other areas) are skipped if absent from this build. */
export async function commandModules(): Promise<Register[]> {
  const names = ['init', 'run', 'status', 'plan', 'dag', 'lint', 'cache', 'import-cfg', 'infer', 'serve', 'datasets', 'studio', 'completion', 'trl'];
  const modules = await Promise.all(names.map((name) => import(`./${name}.js`).catch((error) => (error?.code === 'ERR_MODULE_NOT_FOUND' ? undefined : Promise.reject(error)))));
  return modules.filter(Boolean).map((m) => m.register as Register);
}
