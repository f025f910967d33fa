import { Option, type Command } from 'commander';

/** `ftpipe serve`: run the local OpenAI-compatible provider standalone until Ctrl-C. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the local fine-tuning provider (OpenAI-compatible API) until Ctrl-C')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8787')
    .option('--host <host>', 'interface to bind (loopback by default; any other needs --token-env)', '127.0.0.1')
    .option('--data-dir <dir>', 'where files, jobs and models are kept', '.ftpipe/local-provider')
    .option('--token-env <NAME>', 'the token clients must send (their API key) is $NAME; without it, one is made for this run and printed')
    .option('--allow-host <name>', 'also answer requests addressed to this host name (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--allow-origin <origin>', 'let web pages of this origin call the server, e.g. http://localhost:3000 (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addOption(new Option('--flavor <vendor>', "whose API to speak: openai, azure (OpenAI's plus ARM deployments), together (Together AI's), fireworks (Fireworks AI's)").choices(['openai', 'azure', 'together', 'fireworks']).default('openai'))
    .option('--account <id>', 'fireworks flavour: the account id the server holds', 'local-account')
    .option('--fault <spec>', 'inject a fault, e.g. latency=200, 429:first=3, 503:p=0.1, drop:first=1, job-fail-at=5, step-delay=50 (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (opts: { port: string; host: string; dataDir: string; tokenEnv?: string; allowHost: string[]; allowOrigin: string[]; fault: string[]; flavor: 'openai' | 'azure' | 'together' | 'fireworks'; account: string }) => {
      const { serveCommand } = await import('../local/serve-command.js');
      process.exitCode = await serveCommand(opts);
    });
}
