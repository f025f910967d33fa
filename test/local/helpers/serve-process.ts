/** `ftpipe serve` as a real process (the compiled CLI, as users run it): its URL and API key from its output. */
import { execa, type ResultPromise } from 'execa';
import { cliPath, repoRoot } from '../../helpers/project.js';

export interface ServeProcess {
  child: ResultPromise<{ buffer: false; reject: false }>;
  url: string;
  /** The API key it printed (its own token, or the value of --token-env). */
  apiKey: string;
  stdout: string;
  stop(): Promise<{ exitCode: number | undefined; stderr: string }>;
}

export async function startServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = execa('node', [cliPath, 'serve', '--port', '0', ...args], { cwd: repoRoot, env: { CI: 'true', NO_COLOR: '1', ...env }, buffer: false, reject: false });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /local provider: (\S+)/.exec(stdout)?.[1];
      const key = /OPENAI_API_KEY=(.+)/.exec(stdout)?.[1];
      if (url && key && stdout.includes('Ctrl-C')) resolve({ url, key });
    });
    child.once('exit', (code) => reject(new Error(`ftpipe serve exited early (${code}): ${stderr}`)));
  });
  return {
    child,
    url: started.url,
    apiKey: /^the value of \$(\w+)/.test(started.key) ? (env[/^the value of \$(\w+)/.exec(started.key)![1]] ?? '') : started.key.split(/\s/)[0],
    stdout,
    async stop() {
      child.kill('SIGINT');
      const result = await child;
      return { exitCode: result.exitCode, stderr };
    },
  };
}
