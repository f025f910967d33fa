/** The implementation behind `ftpipe serve` (kept out of src/cli so `ftpipe run` never loads it). */
import { resolve } from 'node:path';
import { once } from 'node:events';
import { ExitCode, FtpipeError } from '../errors.js';
import { parseFaultSpecs } from './fault-spec.js';
import { startLocalServer } from './server.js';
import { flavourHint } from './serve-hints.js';
import type { Flavour } from './routes/flavours.js';

export interface ServeOptions {
  port: string;
  host: string;
  dataDir: string;
  tokenEnv?: string;
  fault: string[];
  flavor?: Flavour;
  account?: string;
}

export async function serveCommand(options: ServeOptions): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FtpipeError(`Invalid --port "${options.port}".`, 'SERVE_PORT_INVALID', { exitCode: ExitCode.usage, hint: 'Use a number from 0 to 65535 (0 picks a free port).' });
  }
  let token: string | undefined;
  if (options.tokenEnv) {
    token = process.env[options.tokenEnv];
    if (!token) throw new FtpipeError(`--token-env ${options.tokenEnv}: that environment variable is not set.`, 'SERVE_TOKEN_MISSING', { exitCode: ExitCode.usage, hint: `export ${options.tokenEnv}=<a secret> before starting the server.` });
  }
  const faults = parseFaultSpecs(options.fault);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let server;
  try {
    server = await startLocalServer({ host: options.host, port, dataDir: resolve(options.dataDir), token, faults, log, flavor: options.flavor, flavorOptions: { account: options.account } });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new FtpipeError(`Port ${port} on ${options.host} is already in use.`, 'SERVE_PORT_IN_USE', { exitCode: ExitCode.usage, hint: 'Pick another --port (or --port 0 for any free one).' });
    throw error;
  }
  process.stdout.write(`${flavourHint(options.flavor ?? 'openai', server.url, { account: options.account, token: token !== undefined })}  Ctrl-C to stop\n`);
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  log('stopping (unfinished jobs resume on the next start)');
  await server.close();
  return 0;
}
