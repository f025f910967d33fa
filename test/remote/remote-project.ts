/**
 * E2E set-up for the remote stages: a temp workspace holding real chat examples (Apache log lines from
 * loghub), the real CLI, the local provider's job files on disk, and a run that is killed (SIGKILL or
 * SIGINT) the moment a condition holds, as a crash or Ctrl-C would.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, makeProject, type Project } from '../helpers/project.js';
import { writeTrainingFile } from './local-fixture.js';

export function trainingProject(files: Record<string, string>, examples = 24): Project {
  const p = makeProject(files);
  p.write('data/.keep', '');
  writeTrainingFile(join(p.root, 'data'), examples);
  return p;
}

/** Jobs the workspace's local provider holds, oldest first by file time is not needed: ids only. */
export function localJobIds(p: Project): string[] {
  const dir = join(p.root, '.ftpipe/local-provider/jobs');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')) : [];
}

/** The job as the local provider stores it (its OpenAI-shaped object). */
export function localJob(p: Project, id: string): { status: string; metadata: Record<string, string> | null } {
  return JSON.parse(p.read(`.ftpipe/local-provider/jobs/${id}.json`)).job;
}

/**
 * Runs the CLI and sends `signal` as soon as `until(output)` holds (checked as output arrives and every
 * 20 ms); if the run ends first, nothing is sent. Returns what the run printed and how it ended.
 */
export async function runKilledWhen(p: Project, args: string[], until: (output: string) => boolean, options: { signal?: 'SIGKILL' | 'SIGINT'; timeoutMs?: number } = {}): Promise<{ signalled: boolean; code: number | undefined; output: string }> {
  const child = execa('node', [cliPath, ...args], { cwd: p.root, reject: false, env: { CI: 'true', NO_COLOR: '1' }, stdin: 'ignore', all: true });
  let output = '';
  let signalled = false;
  const check = () => {
    if (!signalled && until(output)) {
      signalled = true;
      child.kill(options.signal ?? 'SIGKILL');
    }
  };
  child.all!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    check();
  });
  const timer = setInterval(check, 20);
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const result = await child;
  clearInterval(timer);
  clearTimeout(deadline);
  return { signalled, code: result.exitCode, output: output.split(p.root).join('<root>') };
}

/**
 * The recipe these tests train with: upload data/train.jsonl, train on it (extra train params as YAML
 * flow entries), and optionally wait for the job.
 */
export function uploadTrainRecipe(options: { name: string; provider: string; model?: string; train?: string; wait?: boolean }): string {
  const extra = options.train ? `, ${options.train}` : '';
  const wait = options.wait ? `  wait:\n    uses: wait\n    with: { job_id: '\${{ stages.train.outputs.job_id }}', poll_interval_ms: 50, max_poll_interval_ms: 200 }\n` : '';
  return `name: ${options.name}
provider: ${options.provider}
stages:
  upload:
    uses: upload
    with: { input: data/train.jsonl }
  train:
    uses: train
    with: { model: ${options.model ?? 'local'}, training_file: '\${{ stages.upload.outputs.file_id }}'${extra} }
${wait}`;
}
