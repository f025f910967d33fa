/**
 * Waits for a fine-tuning job to finish, streaming its events into the log and progress. Interrupting
 * it (Ctrl-C) leaves the job running; the next run reattaches, since train hands over the same job id.
 * A failed or cancelled job fails the stage with the provider's own code and message, and marks the
 * result of the stage that handed over the job id stale, so the next run creates a new job.
 */
import { defineStage } from '../src/stage/types.js';
import { FtpipeError } from '../src/errors.js';
import { followJob, parseDuration } from '../src/remote/poll-job.js';
import { writeEvents, writeMetrics } from '../src/remote/job-outputs.js';
import type { Job, JobEvent } from '../src/providers/types.js';

interface WaitParams {
  job_id: string;
  poll_interval_ms?: number;
  max_poll_interval_ms?: number;
  timeout?: number | string;
}

export default defineStage<WaitParams>({
  type: 'wait',
  version: 1,
  description: 'Wait for a fine-tuning job, stream its events, and fetch its metrics',
  usesProvider: true,
  volatileParams: ['poll_interval_ms', 'max_poll_interval_ms', 'timeout'],
  outputs: {
    fine_tuned_model: { kind: 'value', description: 'the trained model id, e.g. ft:gpt-4.1-mini:org::abc' },
    trained_tokens: { kind: 'value', description: 'tokens billed for training' },
    status: { kind: 'value', description: 'the final job status (succeeded)' },
    job_id: { kind: 'value', description: 'the job waited for' },
    metrics: { kind: 'file', ext: '.csv', description: 'per-step training metrics (step, train_loss, …)' },
    events: { kind: 'file', ext: '.jsonl', description: 'every job event, oldest first' },
  },
  async run(ctx) {
    const { job_id: jobId, poll_interval_ms = 5000, max_poll_interval_ms = 60_000, timeout } = ctx.params;
    const provider = await ctx.provider();
    const schedule = { baseMs: poll_interval_ms, maxMs: Math.max(poll_interval_ms, max_poll_interval_ms), timeoutMs: timeout === undefined ? undefined : parseDuration(timeout, `stage ${ctx.id}: timeout`) };
    ctx.log.info(`waiting for job ${jobId}`);
    const job = await followJob(provider, jobId, {
      schedule,
      signal: ctx.signal,
      onEvent: (event) => report(ctx, event),
      onStatus: (current) => ctx.progress.update({ message: current.rawStatus }),
    });
    if (job.status !== 'succeeded') {
      await ctx.invalidateInput('job_id', `its job ${job.id} ended ${job.status}`);
      throw jobFailure(job, ctx.id);
    }
    if (!job.fineTunedModel) throw new FtpipeError(`job ${job.id} succeeded without a fine-tuned model name`, 'PROVIDER_ERROR', { stage: ctx.id });
    const events = await provider.listEvents(job.id, { signal: ctx.signal });
    const metricsSource = await writeMetrics(provider, job, events, ctx.output('metrics'), ctx.signal);
    await writeEvents(events, ctx.output('events'));
    ctx.log.debug(`metrics from the ${metricsSource === 'result-file' ? 'result file' : 'metrics events'}`);
    return {
      values: { fine_tuned_model: job.fineTunedModel, trained_tokens: job.trainedTokens, status: job.status, job_id: job.id },
      summary: `${job.fineTunedModel}${job.trainedTokens !== null ? ` (${job.trainedTokens.toLocaleString('en-US')} trained tokens)` : ''}`,
    };
  },
});

function report(ctx: { log: { info(m: string): void; warn(m: string): void; debug(m: string): void }; progress: { update(p: { done?: number; total?: number; message?: string }): void } }, event: JobEvent): void {
  const step = event.data?.step;
  const total = event.data?.total_steps;
  if (typeof step === 'number') ctx.progress.update({ done: step, total: typeof total === 'number' ? total : undefined, message: event.message });
  if (event.type === 'metrics') ctx.log.debug(event.message);
  else if (event.level === 'info') ctx.log.info(event.message);
  else ctx.log.warn(event.message);
}

function jobFailure(job: Job, stage: string): FtpipeError {
  const reason = job.error ? `${job.error.code}: ${job.error.message}` : `ended ${job.rawStatus}`;
  return new FtpipeError(`fine-tuning job ${job.id} ${job.status}: ${reason}`, job.status === 'cancelled' ? 'JOB_CANCELLED' : 'JOB_FAILED', {
    stage,
    hint: job.status === 'failed' ? 'fix the cause above and run again: a failed job is not adopted, the rerun creates a new one' : 'run again to start a new job',
  });
}
