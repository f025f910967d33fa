/** The implementation behind `ftpipe serve` (kept out of src/cli so `ftpipe run` never loads it). */
import { resolve } from 'node:path';
import { once } from 'node:events';
import { ExitCode, FtpipeError } from '../errors.js';
import { newToken } from '../http/bearer-token.js';
import { isLoopbackHost } from '../http/request-origin.js';
import { parseFaultSpecs } from './fault-spec.js';
import { startLocalServer } from './server.js';
import { flavourHint } from './serve-hints.js';
import type { Flavour } from './routes/flavours.js';

export interface ServeOptions {
  port: string;
  host: string;
  dataDir: string;
  tokenEnv?: string;
  allowHost: string[];
  allowOrigin: string[];
  fault: string[];
  flavor?: Flavour;
  account?: string;
}

export async function serveCommand(options: ServeOptions): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FtpipeError(`Invalid --port "${options.port}".`, 'SERVE_PORT_INVALID', { exitCode: ExitCode.usage, hint: 'Use a number from 0 to 65535 (0 picks a free port).' });
  }
  const chosen = chosenToken(options.tokenEnv);
  if (!chosen && !isLoopbackHost(options.host)) {
    throw new FtpipeError(`--host ${options.host} reaches beyond this machine: refusing to start without a token you chose.`, 'SERVE_HOST_NEEDS_TOKEN', {
      exitCode: ExitCode.usage,
      hint: 'export NAME=<a long random secret> and add --token-env NAME (clients send it as their API key), or keep the default --host 127.0.0.1',
    });
  }
  // Always a token: one generated for this run unless the user chose one.
  const token = chosen ?? newToken();
  for (const origin of options.allowOrigin) {
    if (!/^https?:\/\/[^/]+$/i.test(origin)) throw new FtpipeError(`Invalid --allow-origin "${origin}".`, 'SERVE_ORIGIN_INVALID', { exitCode: ExitCode.usage, hint: 'Give an origin such as http://localhost:3000 (scheme, host and port; no path).' });
  }
  const faults = parseFaultSpecs(options.fault);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let server;
  try {
    server = await startLocalServer({ host: options.host, port, dataDir: resolve(options.dataDir), token, allowHosts: options.allowHost, allowOrigins: options.allowOrigin, faults, log, flavor: options.flavor, flavorOptions: { account: options.account } });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new FtpipeError(`Port ${port} on ${options.host} is already in use.`, 'SERVE_PORT_IN_USE', { exitCode: ExitCode.usage, hint: 'Pick another --port (or --port 0 for any free one).' });
    throw error;
  }
  const key = chosen ? `the value of $${options.tokenEnv}` : `${token}   (made for this run; --token-env NAME to choose your own)`;
  process.stdout.write(`${flavourHint(options.flavor ?? 'openai', server.url, { account: options.account, key })}  Ctrl-C to stop\n`);
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  log('stopping (unfinished jobs resume on the next start)');
  await server.close();
  return 0;
}

function chosenToken(tokenEnv: string | undefined): string | undefined {
  if (!tokenEnv) return undefined;
  const token = process.env[tokenEnv];
  if (!token) throw new FtpipeError(`--token-env ${tokenEnv}: that environment variable is not set.`, 'SERVE_TOKEN_MISSING', { exitCode: ExitCode.usage, hint: `export ${tokenEnv}=<a secret> before starting the server.` });
  if (token.length < 16) throw new FtpipeError(`--token-env ${tokenEnv}: the token is ${token.length} characters; use at least 16.`, 'SERVE_TOKEN_WEAK', { exitCode: ExitCode.usage, hint: 'e.g. export NAME=$(openssl rand -hex 24)' });
  return token;
}
