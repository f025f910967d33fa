/**
 * The train stage's job attempts against the real local provider (runStage, real HTTP): the cases a
 * kill or a lost state can leave behind that the e2e tests do not reach by timing alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStage } from '../helpers/run-stage.js';
import upload from '../../stages/upload.js';
import train from '../../stages/train.js';
import type { Provider } from '../../src/providers/types.js';
import type { OpenAIApiProvider } from '../../src/providers/openai-api-provider.js';
import { localProvider, tempWorkspace, writeTrainingFile } from './local-fixture.js';

let provider: Provider;
let fileId: string;
const values = (run: { result: unknown }) => (run.result as { values: Record<string, any> }).values;
const jobCount = async () => (await (provider as OpenAIApiProvider).listJobs()).length;

beforeAll(async () => {
  const workspace = tempWorkspace();
  provider = await localProvider(workspace);
  fileId = values(await runStage(upload, { params: { input: writeTrainingFile(workspace) }, provider })).file_id;
});
afterAll(() => provider.close());

describe('train attempts', () => {
  it('--force with a lost stage state (a fresh clone) still makes a new job, numbered after the lock\'s history', async () => {
    const params = { model: 'local', training_file: fileId, n_epochs: 1 };
    const first = values(await runStage(train, { params, provider, key: 'clone-key' })).job_id;
    const before = await jobCount();
    const forced = await runStage(train, { params, provider, key: 'clone-key', forced: { previous: { job_id: first, model: 'local', supersedes: ['ftjob-older'] } } });
    expect(values(forced).job_id).not.toBe(first);
    expect(values(forced).supersedes).toEqual(['ftjob-older', first]);
    expect((await provider.getJob(values(forced).job_id)).metadata.ftpipe_key).toBe('clone-key#3');
    expect(await jobCount()).toBe(before + 1);
  });

  it('a recorded job the provider no longer has (404) is replaced; other read errors never lead to a create', async () => {
    const params = { model: 'local', training_file: fileId, n_epochs: 1 };
    const gone = await runStage(train, { params, provider, key: 'gone-key', state: { job_id: 'ftjob-doesnotexist' } });
    expect(values(gone).supersedes).toEqual(['ftjob-doesnotexist']);
    const before = await jobCount();
    const aborted = new AbortController();
    aborted.abort(new Error('interrupted'));
    await expect(runStage(train, { params, provider, key: 'gone-key-2', state: { job_id: values(gone).job_id }, signal: aborted.signal })).rejects.toThrow('interrupted');
    expect(await jobCount()).toBe(before);
  });
});
