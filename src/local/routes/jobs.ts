/** /v1/fine_tuning/jobs: create (validated like OpenAI at the edge), list, retrieve, events, checkpoints, cancel. */
import { randomInt } from 'node:crypto';
import { notFound } from '../api-error.js';
import { paginate, parseLimit, parseQuery, readJsonBody, sendJson } from '../http-io.js';
import { monotonicMs } from '../state/file-store.js';
import type { JobRecord } from '../state/job-store.js';
import { randomId } from '../random.js';
import { parseCreateJob } from './create-job-request.js';
import type { RequestContext, Route } from './route-table.js';

export const jobRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/fine_tuning/jobs', handle: createJob },
  { method: 'GET', pattern: '/v1/fine_tuning/jobs', handle: listJobs },
  { method: 'GET', pattern: '/v1/fine_tuning/jobs/:id', handle: async (ctx) => sendJson(ctx.res, 200, jobOr404(ctx).job) },
  { method: 'GET', pattern: '/v1/fine_tuning/jobs/:id/events', handle: listEvents },
  { method: 'GET', pattern: '/v1/fine_tuning/jobs/:id/checkpoints', handle: listCheckpoints },
  { method: 'POST', pattern: '/v1/fine_tuning/jobs/:id/cancel', handle: cancelJob },
];

async function createJob({ req, res, state }: RequestContext): Promise<void> {
  const request = parseCreateJob(await readJsonBody(req, state.limits.jsonBytes), state.files);
  const createdMs = monotonicMs();
  const id = randomId('ftjob-');
  const hyperparameters = {
    n_epochs: request.hyperparameters.n_epochs ?? 'auto',
    batch_size: request.hyperparameters.batch_size ?? 'auto',
    learning_rate_multiplier: request.hyperparameters.learning_rate_multiplier ?? 'auto',
  };
  const record: JobRecord = {
    createdMs,
    requested: request.hyperparameters,
    checkpoints: [],
    job: {
      object: 'fine_tuning.job',
      id,
      model: request.model,
      created_at: Math.floor(createdMs / 1000),
      finished_at: null,
      fine_tuned_model: null,
      organization_id: 'org-local',
      result_files: [],
      status: 'validating_files',
      validation_file: request.validationFile,
      training_file: request.trainingFile,
      hyperparameters,
      trained_tokens: null,
      error: null,
      // Like OpenAI, a job without a seed gets a random one (reported back, so it can be reproduced).
      seed: request.seed ?? randomInt(0, 2 ** 31 - 1),
      estimated_finish: null,
      integrations: null,
      metadata: request.metadata,
      user_provided_suffix: request.suffix,
      method: { type: 'supervised', supervised: { hyperparameters } },
    },
  };
  await state.jobs.save(record);
  state.jobs.addEvent(id, { message: `Created fine-tuning job: ${id}` });
  state.runner.start(id);
  sendJson(res, 200, record.job);
}

async function listJobs({ res, url, state }: RequestContext): Promise<void> {
  const { params, metadata } = parseQuery(url);
  const filters = Object.entries(metadata);
  const records = state.jobs.list().filter((r) => filters.every(([k, v]) => r.job.metadata?.[k] === v));
  const page = paginate(records.map((r) => r.job), params.after, parseLimit(params.limit, 20));
  sendJson(res, 200, { object: 'list', data: page.data, has_more: page.hasMore });
}

async function listEvents(ctx: RequestContext): Promise<void> {
  const record = jobOr404(ctx);
  const { params } = parseQuery(ctx.url);
  const page = paginate(ctx.state.jobs.listEvents(record.job.id), params.after, parseLimit(params.limit, 20));
  sendJson(ctx.res, 200, { object: 'list', data: page.data, has_more: page.hasMore });
}

async function listCheckpoints(ctx: RequestContext): Promise<void> {
  const record = jobOr404(ctx);
  const { params } = parseQuery(ctx.url);
  const newestFirst = [...record.checkpoints].reverse();
  const page = paginate(newestFirst, params.after, parseLimit(params.limit, 10));
  sendJson(ctx.res, 200, { object: 'list', data: page.data, first_id: page.data[0]?.id ?? null, last_id: page.data.at(-1)?.id ?? null, has_more: page.hasMore });
}

async function cancelJob(ctx: RequestContext): Promise<void> {
  const record = jobOr404(ctx);
  sendJson(ctx.res, 200, await ctx.state.runner.cancel(record.job.id));
}

function jobOr404({ params, state }: RequestContext): JobRecord {
  const record = state.jobs.get(params.id);
  if (!record) throw notFound(`Could not find fine-tuning job ${params.id}.`, 'fine_tuning_job_id', 'fine_tuning_job_not_found');
  return record;
}
