/** Together's /fine-tunes routes over the core jobs (shapes in job-shape.ts, creation in create-fine-tune.ts). */
import { sendJson } from '../../http-io.js';
import type { JobRecord } from '../../state/job-store.js';
import { TERMINAL_STATUSES } from '../../state/job-store.js';
import { cancelCoreJob } from '../vendor/core-job.js';
import type { RequestContext, Route } from '../route-table.js';
import { createFineTune } from './create-fine-tune.js';
import { finetuneCheckpoints, finetuneEvents, finetuneMetrics, finetuneResponse } from './job-shape.js';
import { estimatePrice, jobPrice } from './price-estimate.js';
import { invalidRequest, notFound } from './together-errors.js';
import type { TogetherJob, TogetherState } from './together-state.js';

export function fineTuneRoutes(together: TogetherState): Route[] {
  const prices = new Map<string, { tokens: number; price: number }>();
  const lookup = ({ params, state }: RequestContext, id = params.id): { job: TogetherJob; record: JobRecord } => {
    const job = together.jobs.get(id);
    const record = job && state.jobs.get(job.coreId);
    if (!job || !record) throw notFound(`Fine-tune job ${id} not found`, 'id', 'not_found');
    return { job, record };
  };
  const shape = async (ctx: RequestContext, job: TogetherJob, record: JobRecord) => {
    if (!prices.has(job.id)) prices.set(job.id, await jobPrice(ctx.state, record.job.training_file, job.model, job.nEpochs, job.trainingType.type === 'Full', job.trainingMethod.method === 'dpo'));
    const { tokens, price } = prices.get(job.id)!;
    return finetuneResponse(job, record, { tokenCount: tokens, totalPrice: price });
  };

  return [
    {
      method: 'POST',
      pattern: '/v1/fine-tunes',
      async handle(ctx) {
        const job = await createFineTune(ctx.req, ctx.state, together);
        // Together answers a create with the job as it was accepted: pending.
        sendJson(ctx.res, 200, { ...(await shape(ctx, job, ctx.state.jobs.get(job.coreId)!)), status: 'pending' });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/fine-tunes',
      async handle(ctx) {
        const data = [];
        for (const job of together.jobs.list()) {
          const record = ctx.state.jobs.get(job.coreId);
          if (record) data.push(await shape(ctx, job, record));
        }
        sendJson(ctx.res, 200, { data });
      },
    },
    { method: 'POST', pattern: '/v1/fine-tunes/estimate-price', handle: (ctx) => estimatePrice(ctx, together) },
    {
      method: 'GET',
      pattern: '/v1/fine-tunes/:id',
      async handle(ctx) {
        const { job, record } = lookup(ctx);
        sendJson(ctx.res, 200, { ...(await shape(ctx, job, record)), events: finetuneEvents(job, chronological(ctx, record)) });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/fine-tunes/:id/cancel',
      async handle(ctx) {
        const { job, record } = lookup(ctx);
        if (TERMINAL_STATUSES.has(record.job.status)) throw invalidRequest(`Fine-tune job ${job.id} has already finished (${record.job.status}); it cannot be cancelled.`, 'id');
        job.cancelRequested = true;
        await together.jobs.save(job.id, job);
        await cancelCoreJob(ctx.state, record);
        sendJson(ctx.res, 200, await shape(ctx, job, record));
      },
    },
    { method: 'GET', pattern: '/v1/fine-tunes/:id/events', handle: async (ctx) => { const { job, record } = lookup(ctx); sendJson(ctx.res, 200, { data: finetuneEvents(job, chronological(ctx, record)) }); } },
    { method: 'GET', pattern: '/v1/fine-tunes/:id/metrics', handle: async (ctx) => { const { record } = lookup(ctx); sendJson(ctx.res, 200, { metrics: finetuneMetrics(chronological(ctx, record)) }); } },
    { method: 'GET', pattern: '/v1/fine-tunes/:id/checkpoints', handle: async (ctx) => { const { job, record } = lookup(ctx); sendJson(ctx.res, 200, { data: finetuneCheckpoints(job, record) }); } },
    {
      // Together's "compressed model": here the core's trained model file (or an epoch checkpoint).
      method: 'GET',
      pattern: '/v1/finetune/download',
      async handle(ctx) {
        const { job, record } = lookup(ctx, ctx.url.searchParams.get('ft_id') ?? '');
        if (record.job.status !== 'succeeded' || !record.job.fine_tuned_model) throw invalidRequest(`Fine-tune job ${job.id} has no model to download yet (${record.job.status}).`, 'ft_id');
        const step = Number(ctx.url.searchParams.get('checkpoint_step') ?? 0);
        const checkpoint = step > 0 ? record.checkpoints.find((c) => c.step_number === step) : undefined;
        if (step > 0 && !checkpoint) throw notFound(`Fine-tune job ${job.id} has no checkpoint at step ${step}.`, 'checkpoint_step');
        const model = ctx.state.models.load(checkpoint?.fine_tuned_model_checkpoint ?? record.job.fine_tuned_model);
        if (!model) throw notFound(`The model of ${job.id} is no longer stored.`, 'ft_id');
        const bytes = Buffer.from(JSON.stringify(model.file));
        ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, 'content-disposition': `attachment; filename="${job.id}${step ? `-step-${step}` : ''}.json"` });
        ctx.res.end(bytes);
      },
    },
  ];
}

function chronological(ctx: RequestContext, record: JobRecord) {
  return ctx.state.jobs.listEvents(record.job.id).reverse();
}
