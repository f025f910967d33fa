import { InvalidArgumentError, Option, type Command } from 'commander';
import { positiveInt } from './options.js';

export function register(program: Command): void {
  program
    .command('infer')
    .description('ask a model (e.g. your fine-tuned one): one --user-input, or every line of --input file.jsonl')
    .option('--model <id>', 'the model to ask')
    .option('--job <id>', 'ask the fine-tuned model of this job')
    .option('--sys-prompt <text>', 'system prompt')
    .option('--user-input <text>', 'one user message')
    .option('--input <file>', 'a JSONL file of chat examples (last assistant message = expected) or {"input": ...} lines')
    .option('--output <file>', 'write the result rows (JSONL) here instead of stdout')
    .option('--max-tokens <n>', 'maximum tokens per completion', positiveInt)
    .option('--temperature <t>', 'sampling temperature (0 to 2)', temperature)
    .option('--concurrency <n>', 'requests in flight', positiveInt)
    .option('--config <file>', 'an infer.cfg (key = value) supplying defaults for the options above')
    .addOption(new Option('--provider <kind>', 'provider kind').default('local'))
    .option('--base-url <url>', 'provider base URL (openai-compatible, or another OpenAI endpoint)')
    .option('--api-key-env <name>', 'environment variable holding the API key')
    .option('--resource <name>', 'azure: the Azure OpenAI resource (account) name')
    .option('--subscription <id>', 'azure: subscription id for deployments (default $AZURE_SUBSCRIPTION_ID)')
    .option('--resource-group <name>', 'azure: resource group for deployments (default $AZURE_RESOURCE_GROUP)')
    .option('--deployment <template>', 'azure: deployment name template for fine-tuned models (default ftpipe-{model})')
    .option('--management-url <url>', 'azure: Azure Resource Manager endpoint (default https://management.azure.com)')
    .option('--teardown', 'azure: delete the deployment afterwards (hosting is billed by the hour)')
    .option('--workspace <dir>', 'workspace root (default: the nearest folder with ftpipe.lock, .ftpipe or .git)')
    .action(async (opts) => {
      const { inferCommand } = await import('../remote/infer-command.js');
      process.exitCode = await inferCommand(opts);
    });
}

function temperature(value: string): number {
  const t = Number(value);
  if (!(t >= 0 && t <= 2)) throw new InvalidArgumentError(`expected a number from 0 to 2, got "${value}"`);
  return t;
}
