/**
 * The Data page's "Rerun" button: `ftpipe run <recipe>` as a child process of the studio, one at a
 * time, refused while another run holds the workspace lock. The page polls its state and the tail of
 * its output (plain lines: the child has no TTY); the answers pass the server's redaction like any other.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { FtpipeError, isFtpipeError } from '../errors.js';
import { acquireWorkspaceLock } from '../store/workspace-lock.js';
import { openWorkspace } from '../run/workspace.js';

const OUTPUT_TAIL_CHARS = 16_000;

export interface RecipeRunState {
  state: 'idle' | 'running' | 'succeeded' | 'failed';
  recipe: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  /** The last part of what the run printed (stdout and stderr interleaved). */
  output: string;
}

export class RecipeRun {
  private child: ResultPromise | null = null;
  private current: RecipeRunState = { state: 'idle', recipe: null, startedAt: null, finishedAt: null, exitCode: null, output: '' };

  constructor(private readonly options: { workspace: string; env: NodeJS.ProcessEnv }) {}

  status(): RecipeRunState {
    return { ...this.current };
  }

  async start(recipeName: string): Promise<RecipeRunState> {
    if (this.current.state === 'running') throw busy(`ftpipe run ${this.current.recipe} (started by the studio at ${this.current.startedAt}) is still running`);
    await this.checkWorkspaceFree();
    const run: RecipeRunState = { state: 'running', recipe: recipeName, startedAt: new Date().toISOString(), finishedAt: null, exitCode: null, output: '' };
    this.current = run;
    const child = execa(process.execPath, [cliPath(), 'run', recipeName], { cwd: this.options.workspace, env: { ...this.options.env, NO_COLOR: '1', FORCE_COLOR: '0' }, extendEnv: false, all: true, reject: false, stdin: 'ignore' });
    this.child = child;
    child.all?.setEncoding('utf8');
    child.all?.on('data', (text: string) => {
      run.output = (run.output + text).slice(-OUTPUT_TAIL_CHARS);
    });
    void child.then((result) => {
      run.exitCode = result.exitCode ?? null;
      run.state = result.exitCode === 0 ? 'succeeded' : 'failed';
      if (result.exitCode === undefined) run.output += `\n${result.shortMessage}`;
      run.finishedAt = new Date().toISOString();
      this.child = null;
    });
    return this.status();
  }

  /** Stops a run still going (the studio is closing): ftpipe handles SIGINT like Ctrl-C. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGINT');
    await child.catch(() => undefined);
  }

  /** Taken and given back at once: a run started elsewhere (a terminal, CI) holds it until it ends. */
  private async checkWorkspaceFree(): Promise<void> {
    try {
      const lock = await acquireWorkspaceLock(openWorkspace(this.options.workspace, () => {}).lockDir, { command: 'ftpipe studio (checking before a rerun)' });
      lock.release();
    } catch (error) {
      if (isFtpipeError(error) && error.code === 'WORKSPACE_LOCKED') throw busy(error.message);
      throw error;
    }
  }
}

function busy(message: string): FtpipeError {
  return new FtpipeError(message, 'STUDIO_RUN_BUSY', { hint: 'wait for that run to finish, then press Rerun again' });
}

/** bin/ftpipe.js of this package, found from this module (src/studio in tests, dist/src/studio when built). */
function cliPath(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'bin', 'ftpipe.js');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
  }
  throw new FtpipeError('cannot find the ftpipe command of this installation', 'STUDIO_INTERNAL');
}
