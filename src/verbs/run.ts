/** `ftpipe run`: load, lock the workspace, run with a reporter, map the outcome to an exit code. */
import { ExitCode } from '../errors.js';
import { loadRecipe } from '../recipe/load.js';
import { runPipeline } from '../run/pipeline.js';
import { openWorkspace, prepareLockedWorkspace } from '../run/workspace.js';
import { acquireWorkspaceLock, type WorkspaceLock } from '../store/workspace-lock.js';
import { rememberValidated } from '../recipe/validation-memo.js';
import type { Recipe } from '../recipe/types.js';
import { reportError } from '../cli/report-error.js';
import { noteWorkspaceRoot } from '../cli/root-notice.js';
import { identifyProvider, lazyProviderFactory } from './provider-factory.js';
import { chooseReporter } from './reporter-choice.js';
import { checkUpToDate } from './check.js';
import { spendGuard, spendPreflight } from './spend-guard.js';

export interface RunCommandOptions {
  only?: string[];
  from?: string;
  until?: string;
  force?: string[] | boolean;
  set?: string[];
  jobs?: number;
  check?: boolean;
  json?: boolean;
  verbose?: boolean;
  wait?: boolean;
  maxCost?: number;
  provider?: string;
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  // Loading only reads; everything that writes (the validation memo, the provider's instance id in the
  // spend preflight, temps, stages) happens below, holding the workspace lock.
  const recipe = await loadRecipe(file, { set: options.set, onRoot: noteWorkspaceRoot });
  if (options.provider) recipe.provider = { ...recipe.provider, kind: options.provider };
  if (options.check) return checkUpToDate(recipe, options);
  const force = options.force === true ? true : Array.isArray(options.force) ? options.force : undefined;
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    process.stderr.write('\ninterrupting: stopping running stages (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ws = openWorkspace(recipe.root, () => {});
  let lock: WorkspaceLock | undefined;
  const releaseOnExit = () => lock?.release();
  process.on('exit', releaseOnExit);
  try {
    lock = await acquireWorkspaceLock(ws.lockDir, { wait: options.wait, signal: controller.signal, command: `ftpipe run ${recipe.name}` });
    await prepareLockedWorkspace(ws);
    if (recipe.validationMemo) await rememberValidated(recipe.root, recipe.validationMemo);
    for (const line of await spendPreflight(recipe, { ...options, force })) {
      if (!options.json) process.stdout.write(`paid: ${line.stage}: ${line.text}\n`);
    }
    return await runLocked(recipe, options, controller.signal);
  } finally {
    lock?.release();
    process.off('exit', releaseOnExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runLocked(recipe: Recipe, options: RunCommandOptions, signal: AbortSignal): Promise<number> {
  const reporter = await chooseReporter(options);
  try {
    const result = await runPipeline({
      recipe,
      mode: 'run',
      only: options.only,
      from: options.from,
      until: options.until,
      force: options.force === true ? 'all' : Array.isArray(options.force) ? options.force : undefined,
      jobs: options.jobs,
      emit: (event) => reporter.onEvent(event),
      providerFactory: lazyProviderFactory,
      providerIdentity: identifyProvider,
      signal,
      beforeStage: spendGuard(recipe, options.maxCost),
    });
    await reporter.close?.();
    // Ctrl-C that came as the last running stages finished (nothing was left to stop) is still an interrupted run.
    if (result.ok && signal.aborted) {
      if (!options.json) process.stderr.write('interrupted: the stages that were running finished first; the next run goes on from here\n');
      return ExitCode.interrupted;
    }
    if (result.ok) return ExitCode.ok;
    let code: number = ExitCode.stageFailed;
    for (const [, state] of Object.entries(result.states)) {
      if (!state.error) continue;
      if (!options.json) reportError(state.error, { verbose: options.verbose === true });
      if (state.state === 'interrupted') code = ExitCode.interrupted;
      else if (code === ExitCode.stageFailed) code = state.error.exitCode === ExitCode.usage ? ExitCode.stageFailed : state.error.exitCode;
    }
    return code;
  } catch (error) {
    await reporter.close?.();
    throw error;
  }
}
