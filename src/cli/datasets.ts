import { Option, type Command } from 'commander';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
};
const io = { write: (text: string) => void process.stdout.write(text), warn: (text: string) => void process.stderr.write(text) };
const dirOption = () => new Option('--dir <dir>', 'datasets directory (default: $FTPIPE_DATASETS_DIR, else .ftpipe/datasets)');

export function register(program: Command): void {
  const datasets = program.command('datasets').description('datasets recorded from live model calls (recordingClient)');
  datasets
    .command('ls')
    .description('list datasets with their record counts')
    .addOption(dirOption())
    .option('--json', 'print JSON')
    .action(async (opts: { dir?: string; json?: boolean }) => {
      const { listDatasets } = await import('../record/datasets-commands.js');
      await listDatasets({ ...opts, ...io });
    });
  datasets
    .command('show')
    .description('print the records of a dataset, oldest first')
    .argument('<name>', 'dataset name')
    .addOption(dirOption())
    .option('--limit <n>', 'print at most n records', positiveInt)
    .option('--where <key=value>', 'only records whose metadata has key=value (repeatable)', collect)
    .option('--json', 'print the records as JSON lines')
    .action(async (name: string, opts: { dir?: string; limit?: number; where?: string[]; json?: boolean }) => {
      const { showDataset } = await import('../record/datasets-commands.js');
      await showDataset(name, { ...opts, ...io });
    });
  datasets
    .command('export')
    .description('write a dataset (filtered) as chat-format JSONL for fine-tuning')
    .argument('<name>', 'dataset name')
    .requiredOption('--to <file>', 'output .jsonl file')
    .addOption(dirOption())
    .option('--where <key=value>', 'only records whose metadata has key=value (repeatable; the same key twice means either)', collect)
    .option('--limit <n>', 'export at most n records', positiveInt)
    .option('--keep-metadata', 'keep the metadata tags (leave off for training files)')
    .action(async (name: string, opts: { to: string; dir?: string; where?: string[]; limit?: number; keepMetadata?: boolean }) => {
      const { exportDataset } = await import('../record/datasets-commands.js');
      await exportDataset(name, { ...opts, ...io });
    });
}
