/**
 * The trl adapter against real driver processes on the tiny model: content-addressed uploads, a detached job
 * reported step by step, the metrics CSV every provider writes, chat with the base and the fine-tuned model
 * through the transformers server, cancel, and a job whose process is killed without a final status.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import trl from '../../../src/providers/trl.js';
import { isTerminal } from '../../../src/providers/job-mapping.js';
import type { Job, Provider } from '../../../src/providers/types.js';
import { isAlive } from '../../../src/providers/trl/process-state.js';
import { repoRoot } from '../../helpers/project.js';
import { describeWithTrl } from '../../helpers/trl-stack.js';

const chatFixture = join(repoRoot, 'test/fixtures/trl/log-source-chat.jsonl');

async function provider(block: Record<string, unknown> = {}): Promise<{ p: Provider; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ftpipe-trl-'));
  return { p: await trl.create({ kind: 'trl', ...block }, { workspace: dir, env: process.env }), dir };
}

async function settle(p: Provider, id: string): Promise<Job> {
  for (;;) {
    const job = await p.getJob(id);
    if (isTerminal(job.status)) return job;
    await sleep(300);
  }
}

async function until(p: Provider, id: string, seen: (messages: string[]) => boolean): Promise<void> {
  while (!seen((await p.listEvents(id)).map((e) => e.message))) await sleep(200);
}

describeWithTrl('trl provider against the real driver', () => {
  it('uploads by content, trains in a detached job, reports every step, and serves base and fine-tuned models', { timeout: 600_000 }, async () => {
    const { p, dir } = await provider({ max_length: 256, save_strategy: 'epoch' });
    try {
      const file = await p.uploadFile(chatFixture, { purpose: 'fine-tune', filename: 'ftpipe-x-chat.jsonl' });
      expect(await p.uploadFile(chatFixture, { purpose: 'fine-tune', filename: 'other-name.jsonl' })).toEqual(file);
      expect(readdirSync(join(dir, '.ftpipe/trl/files')).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
      expect((await p.listFiles()).map((f) => f.id)).toEqual([file.id]);

      const created = await p.createJob({ model: 'gpt-4o-mini-2024-07-18', trainingFile: file.id, validationFile: file.id, suffix: 'logs', seed: 3, hyperparameters: { n_epochs: 2, batch_size: 8, learning_rate_multiplier: 1 }, idempotencyKey: 'key-1' });
      expect(created).toMatchObject({ status: 'running', model: 'tiny', metadata: { ftpipe_key: 'key-1' } });
      expect((await p.findJob('key-1'))?.id).toBe(created.id);

      const job = await settle(p, created.id);
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      expect(job.fineTunedModel).toMatch(/^ft:tiny:trl:logs:[0-9a-f]{8}$/);
      expect(job.trainedTokens).toBeGreaterThan(0);
      expect(job.hyperparameters).toMatchObject({ n_epochs: 2, batch_size: 8, learning_rate: 2e-3 });
      expect(job.checkpoints?.map((c) => c.step)).toEqual([9, 18]);

      const events = await p.listEvents(job.id);
      const steps = events.filter((e) => e.type === 'metrics' && e.data?.train_loss !== undefined);
      expect(steps.map((e) => e.data!.step)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
      expect(await p.listEvents(job.id, { after: events[events.length - 2].id })).toEqual(events.slice(-1));

      const csv = (await p.fileContent(job.resultFiles[0])).toString('utf8').trim().split('\n');
      expect(csv[0]).toBe('step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy');
      expect(csv).toHaveLength(19);
      const loss = (row: string) => Number(row.split(',')[1]);
      expect(loss(csv[18])).toBeLessThan(loss(csv[1]));

      const ask = (model: string) => p.chat({ model, messages: [{ role: 'user', content: 'Log line: Accepted password for root from 10.0.0.1 port 22 ssh2' }], max_tokens: 8, temperature: 0 });
      const tuned = await ask(job.fineTunedModel!);
      expect(typeof tuned.content).toBe('string');
      expect(tuned.usage?.completionTokens).toBeGreaterThan(0);
      expect((await ask('gpt-4o-mini-2024-07-18')).raw).toMatchObject({ model: expect.stringMatching(/^tiny@ftjob-trl-/) });
      expect((await p.listModels()).map((m) => m.id)).toContain(job.fineTunedModel);
    } finally {
      await p.close();
    }
  });

  it('cancel ends the whole process group and the job stays cancelled', { timeout: 300_000 }, async () => {
    const { p, dir } = await provider({ max_length: 256 });
    const file = await p.uploadFile(chatFixture, { purpose: 'fine-tune' });
    const job = await p.createJob({ model: 'tiny', trainingFile: file.id, hyperparameters: { n_epochs: 500 }, idempotencyKey: 'key-cancel' });
    await until(p, job.id, (m) => m.some((text) => text.startsWith('Fine-tuning job started')));
    const cancelled = await p.cancelJob(job.id);
    expect(cancelled.status).toBe('cancelled');
    const { pid } = JSON.parse(readFileSync(join(dir, '.ftpipe/trl/jobs', job.id, 'job.json'), 'utf8'));
    expect(() => process.kill(-pid, 0)).toThrow(/ESRCH/); // no process of the group is left
    expect((await p.getJob(job.id)).status).toBe('cancelled');
    expect(await p.findJob('key-cancel')).toBeNull(); // a cancelled job is never adopted
  });

  it('a job whose process is killed without a final status is failed, never left running', { timeout: 300_000 }, async () => {
    const { p, dir } = await provider({ max_length: 256 });
    const file = await p.uploadFile(chatFixture, { purpose: 'fine-tune' });
    const job = await p.createJob({ model: 'tiny', trainingFile: file.id, hyperparameters: { n_epochs: 500 }, idempotencyKey: 'key-killed' });
    await until(p, job.id, (m) => m.some((text) => text.startsWith('rank 0 of 1')));
    const { pid, processStart } = JSON.parse(readFileSync(join(dir, '.ftpipe/trl/jobs', job.id, 'job.json'), 'utf8'));
    process.kill(-pid, 'SIGKILL'); // what the OOM killer or a reboot does: nobody writes an exit record
    while (isAlive(pid, processStart)) await sleep(50);
    const failed = await p.getJob(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('process_died');
    expect(failed.error?.message).toContain(`the training process (pid ${pid}) ended without a final status`);
  });
});
