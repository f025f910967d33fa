/**
 * `ftpipe studio [recipe]`: starts the server, prints its URL (opens no browser) and runs until Ctrl-C.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, FtpipeError } from '../errors.js';
import { findWorkspaceRoot } from '../recipe/workspace-root.js';
import { startStudio } from './server.js';

export async function studioCommand(recipeArg: string | undefined, opts: { port: string; host: string; tokenEnv?: string }): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new FtpipeError(`--port ${opts.port} is not a port number`, 'USAGE', { exitCode: ExitCode.usage, hint: 'use a number from 1 to 65535, or 0 for any free port' });
  const recipe = recipeArg ? resolve(recipeArg) : defaultRecipe();
  if (recipe && !existsSync(recipe)) throw new FtpipeError(`recipe not found: ${recipeArg}`, 'STUDIO_RECIPE_NOT_FOUND', { exitCode: ExitCode.usage, hint: 'pass the path of a recipe, e.g. ftpipe studio pipelines/error-cat.yaml' });
  const workspace = findWorkspaceRoot(recipe ?? join(process.cwd(), 'recipe.yaml'));
  const studio = await startStudio({ workspace, recipe, port, host: opts.host, token: chosenToken(opts.tokenEnv) });
  // The URL carries the token: open it (the first visit keeps it as a cookie for this studio).
  process.stdout.write(`ftpipe studio: ${studio.url}  (workspace ${workspace}${recipe ? `, recipe ${recipe}` : ''}; Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    const stop = () => void studio.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function chosenToken(tokenEnv: string | undefined): string | undefined {
  if (!tokenEnv) return undefined;
  const token = process.env[tokenEnv];
  if (!token || token.length < 16 || !/^[A-Za-z0-9._~-]+$/.test(token)) {
    throw new FtpipeError(`--token-env ${tokenEnv}: ${token ? 'use at least 16 characters of letters, digits, ".", "_", "~" or "-"' : 'that environment variable is not set'}`, 'STUDIO_TOKEN_INVALID', {
      exitCode: ExitCode.usage,
      hint: `e.g. export ${tokenEnv}=$(openssl rand -hex 24)`,
    });
  }
  return token;
}

/** Without an argument: the only recipe in ./pipelines, else none (the Data page still works). */
function defaultRecipe(): string | null {
  const dir = resolve('pipelines');
  if (!existsSync(dir)) return null;
  const recipes = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  return recipes.length === 1 ? join(dir, recipes[0]) : null;
}
