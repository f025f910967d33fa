import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('studio')
    .description('a local web app to edit data, read validation, follow runs, compare evals and chat with models')
    .argument('[recipe]', 'recipe file (default: the only recipe in pipelines/)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4321')
    .option('--host <host>', 'address to listen on (keep it local: the studio can write files; any other needs --token-env)', '127.0.0.1')
    .option('--token-env <NAME>', 'the token of the printed URL is $NAME (default: a new one every start)')
    .action(async (recipe: string | undefined, opts: { port: string; host: string; tokenEnv?: string }) => {
      const { studioCommand } = await import('../studio/command.js');
      await studioCommand(recipe, opts);
    });
}
