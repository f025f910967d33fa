/** upload → train → wait → infer against the real local provider, over real HTTP through the SDK. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runStage } from '../helpers/run-stage.js';
import upload from '../../stages/upload.js';
import train from '../../stages/train.js';
import wait from '../../stages/wait.js';
import infer from '../../stages/infer.js';
import { inferCommand } from '../../src/remote/infer-command.js';
import { parseMetricsCsv } from '../../src/providers/result-file.js';
import type { Provider } from '../../src/providers/types.js';
import type { OpenAIApiProvider } from '../../src/providers/openai-api-provider.js';
import { localProvider, sysPrompt, tempWorkspace, writeTrainingFile } from './local-fixture.js';

let workspace: string;
let provider: Provider;
let trainingFile: string;
const values = (run: { result: unknown }) => (run.result as { values: Record<string, any> }).values;

beforeAll(async () => {
  workspace = tempWorkspace();
  provider = await localProvider(workspace);
  trainingFile = writeTrainingFile(workspace);
});
afterAll(() => provider.close());

describe('remote stages on the local provider', () => {
  let fileId: string;
  let jobId: string;
  let model: string;

  it('upload names the file by content and reuses it for the same bytes under another name', async () => {
    const first = await runStage(upload, { params: { input: trainingFile }, provider });
    fileId = values(first).file_id;
    expect(fileId).toMatch(/^file-/);
    const files = await provider.listFiles({ purpose: 'fine-tune' });
    expect(files.map((f) => f.filename)).toEqual([expect.stringMatching(/^ftpipe-[0-9a-f]{16}-train\.jsonl$/)]);

    const copy = join(workspace, 'copy.jsonl');
    writeFileSync(copy, readFileSync(trainingFile));
    const again = await runStage(upload, { params: { input: copy }, provider });
    expect(values(again).file_id).toBe(fileId);
    expect(again.result).toMatchObject({ summary: expect.stringContaining('reused') });
    expect(await provider.listFiles({ purpose: 'fine-tune' })).toHaveLength(1);
  });

  it('train creates one job tagged with the key; a rerun that lost its state adopts it', async () => {
    const first = await runStage(train, { params: { model: 'local', training_file: fileId, n_epochs: 2, seed: 7 }, provider, key: 'key-train-1' });
    jobId = values(first).job_id;
    const job = await provider.getJob(jobId);
    expect(job.metadata.ftpipe_key).toBe('key-train-1');
    // The crash case: the job exists but nothing local remembers it (fresh state, as after a crash before the lock write).
    const rerun = await runStage(train, { params: { model: 'local', training_file: fileId, n_epochs: 2, seed: 7 }, provider, key: 'key-train-1' });
    expect(values(rerun).job_id).toBe(jobId);
    expect(rerun.logs.map((l) => l.message).join('\n')).toMatch(/adopted \(found by its ftpipe_key tag\)/);
    const withState = await runStage(train, { params: { model: 'local', training_file: fileId, n_epochs: 2, seed: 7 }, provider, key: 'key-train-1', state: { job_id: jobId } });
    expect(withState.logs.map((l) => l.message).join('\n')).toMatch(/found by the recorded id/);
    expect((await countJobs(provider)).total).toBe(1);
  });

  it('train refuses a path where a file id belongs', async () => {
    await expect(runStage(train, { params: { model: 'local', training_file: trainingFile }, provider })).rejects.toThrow(/must be a provider file id, not a path/);
  });

  it('wait follows the job to the end and writes metrics and events', async () => {
    const run = await runStage(wait, { params: { job_id: jobId, poll_interval_ms: 50, max_poll_interval_ms: 200 }, provider });
    expect(values(run)).toMatchObject({ status: 'succeeded', job_id: jobId, fine_tuned_model: expect.stringMatching(/^ft:local/), trained_tokens: expect.any(Number) });
    model = values(run).fine_tuned_model;
    const metrics = await parseMetricsCsv(readFileSync(run.outputs.metrics));
    expect(metrics.length).toBeGreaterThan(1);
    expect(metrics[0]).toMatchObject({ step: 1, train_loss: expect.any(Number) });
    const events = readFileSync(run.outputs.events, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0].message).toMatch(/Created fine-tuning job/);
    expect(events.at(-1).createdAt).toBeGreaterThanOrEqual(events[0].createdAt);
  });

  it('infer asks the fine-tuned model: a file of chat examples keeps the held-back answers', async () => {
    const run = await runStage(infer, { params: { model, input: trainingFile, max_tokens: 5, temperature: 0, concurrency: 8 }, provider });
    const rows = readFileSync(run.outputs.data, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(24);
    expect(rows[0].messages.at(-1).role).toBe('user');
    expect(rows[0].expected).toBe('notice');
    // The local model learned the labels: most answers match (a real, if tiny, trainer).
    const right = rows.filter((r) => r.completion.trim() === r.expected).length;
    expect(right).toBeGreaterThanOrEqual(18);
  });

  it('infer with one user_input returns the completion as a value', async () => {
    const run = await runStage(infer, { params: { model, sys_prompt: sysPrompt, user_input: 'mod_jk child workerEnv in error state 6' }, provider });
    expect(values(run).completion).toBe('error');
  });

  it('ftpipe infer resolves --job to its fine-tuned model', async () => {
    const out = collect();
    const code = await inferCommand({ job: jobId, sysPrompt, userInput: 'workerEnv.init() ok /etc/httpd/conf/workers2.properties', provider: 'local', workspace }, { stdout: out.stream, stderr: collect().stream, env: {} });
    expect(code).toBe(0);
    expect(out.text().trim()).toBe('notice');
  });

  it('ftpipe infer takes defaults from infer.cfg and writes rows for --input', async () => {
    const err = collect();
    const cfg = join(import.meta.dirname, '../fixtures/cfg/infer.cfg');
    const out = collect();
    expect(await inferCommand({ model, config: cfg, provider: 'local', workspace }, { stdout: out.stream, stderr: err.stream, env: {} })).toBe(0);
    expect(out.text().trim()).not.toBe(''); // cfg's user_input, asked of the fine-tuned model
    const rowsFile = join(workspace, 'rows.jsonl');
    expect(await inferCommand({ model, input: trainingFile, output: rowsFile, provider: 'local', workspace, concurrency: 8 }, { stdout: out.stream, stderr: err.stream, env: {} })).toBe(0);
    const rows = readFileSync(rowsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(24);
    expect(rows[1]).toMatchObject({ expected: 'error', completion: expect.any(String) });
  });
});

async function countJobs(p: Provider): Promise<{ total: number }> {
  return { total: (await (p as OpenAIApiProvider).listJobs()).length };
}

function collect() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += chunk; done(); } });
  return { stream, text: () => text };
}
