/**
 * Fireworks' supervisedFineTuningJobs and dpoJobs: create with a client-chosen id (the query's
 * supervisedFineTuningJobId / dpoJobId; a second create with the same id is ALREADY_EXISTS, which
 * is what makes a retried create safe), list, get, delete (Fireworks' way to stop a job), on the core
 * trainer. learningRate becomes the core's multiplier of Fireworks' default; the seed is fixed (the
 * request has none).
 */
import { catalogFor } from '../../../models/catalog.js';
import { readJsonBody, sendJson } from '../../http-io.js';
import { TERMINAL_STATUSES, type JobRecord } from '../../state/job-store.js';
import { cancelCoreJob, startCoreJob } from '../vendor/core-job.js';
import { preferenceAsChat } from '../vendor/training-lines.js';
import type { RequestContext, Route, ServerState } from '../route-table.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './fireworks-errors.js';
import { FIREWORKS_DEFAULT_LEARNING_RATE, FIREWORKS_EMULATOR_SEED, type FireworksJob, type FireworksState, type JobCollection } from './fireworks-state.js';
import { checkResourceId } from './ids.js';
import { page } from './paging.js';
import { jobView, metricsUrl } from './job-view.js';

const idParam: Record<JobCollection, string> = { supervisedFineTuningJobs: 'supervisedFineTuningJobId', dpoJobs: 'dpoJobId' };

export function fineTuningJobRoutes(fw: FireworksState): Route[] {
  return (['supervisedFineTuningJobs', 'dpoJobs'] as const).flatMap((collection) => {
    const base = `/v1/accounts/:account/${collection}`;
    const lookup = (ctx: RequestContext): { job: FireworksJob; record: JobRecord } => {
      fw.checkAccount(ctx.params.account);
      const job = fw.jobs.get(`${collection}/${ctx.params.job}`);
      const record = job && ctx.state.jobs.get(job.coreId);
      if (!job || !record) throw notFound(`${collection} "${fw.resource(collection, ctx.params.job)}" not found`);
      return { job, record };
    };
    const routes: Route[] = [
      {
        method: 'POST',
        pattern: base,
        async handle(ctx) {
          fw.checkAccount(ctx.params.account);
          const job = await createJob(ctx, fw, collection);
          sendJson(ctx.res, 200, jobView(fw, job, ctx.state, ctx.req.headers.host));
        },
      },
      {
        method: 'GET',
        pattern: base,
        async handle(ctx) {
          fw.checkAccount(ctx.params.account);
          const mine = fw.jobs.list().filter((j) => j.collection === collection && ctx.state.jobs.get(j.coreId));
          const { items, nextPageToken } = page(mine, ctx.url);
          sendJson(ctx.res, 200, { [collection]: items.map((j) => jobView(fw, j, ctx.state, ctx.req.headers.host)), nextPageToken, totalSize: mine.length });
        },
      },
      {
        method: 'GET',
        pattern: `${base}/:job`,
        async handle(ctx) {
          // "<id>:getMetricsFileEndpoint" is a custom method on the same resource path.
          const [id, verb] = ctx.params.job.split(':');
          const { job } = lookup({ ...ctx, params: { ...ctx.params, job: id } });
          if (verb === undefined) return sendJson(ctx.res, 200, jobView(fw, job, ctx.state, ctx.req.headers.host));
          if (verb !== 'getMetricsFileEndpoint') throw notFound(`unknown method ${JSON.stringify(verb)} on ${collection}`);
          sendJson(ctx.res, 200, { signedUrl: metricsUrl(ctx.req.headers.host, job) });
        },
      },
      {
        method: 'DELETE',
        pattern: `${base}/:job`,
        async handle(ctx) {
          const { job, record } = lookup(ctx);
          if (!TERMINAL_STATUSES.has(record.job.status)) await cancelCoreJob(ctx.state, record);
          await fw.jobs.delete(`${collection}/${job.id}`);
          sendJson(ctx.res, 200, {});
        },
      },
    ];
    return routes;
  }).concat({
    // The signed URL of a job's metrics file (a cloud bucket on Fireworks): JSON lines, one per step.
    method: 'GET',
    pattern: '/emulator-metrics/:collection/:job',
    async handle(ctx) {
      const job = fw.jobs.get(`${ctx.params.collection}/${ctx.params.job}`);
      if (!job) throw notFound('no such metrics file');
      const lines = ctx.state.jobs.listEvents(job.coreId).reverse().filter((e) => e.type === 'metrics').map((e) => JSON.stringify(e.data));
      const text = lines.map((l) => `${l}\n`).join('');
      ctx.res.writeHead(200, { 'content-type': 'application/jsonl', 'content-length': Buffer.byteLength(text) });
      ctx.res.end(text);
    },
  });
}

async function createJob(ctx: RequestContext, fw: FireworksState, collection: JobCollection): Promise<FireworksJob> {
  const id = checkResourceId(ctx.url.searchParams.get(idParam[collection]) ?? '', 'job');
  if (fw.jobs.has(`${collection}/${id}`)) throw alreadyExists(`${collection} "${fw.resource(collection, id)}" already exists`);
  const body = await readJsonBody(ctx.req, ctx.state.limits.jsonBytes);
  // DPO jobs carry the training settings in trainingConfig, the loss in lossConfig.
  const config = (collection === 'dpoJobs' ? body.trainingConfig ?? {} : body) as Record<string, unknown>;
  const baseModel = typeof config.baseModel === 'string' ? config.baseModel : '';
  if (!catalogFor('fireworks').some((m) => m.id === baseModel)) throw invalidArgument(`base model ${JSON.stringify(baseModel)} is not tunable (see models with tunable: true under accounts/fireworks/models)`);
  const dataset = datasetFor(fw, body.dataset, 'dataset', collection);
  const evaluation = body.evaluationDataset === undefined ? null : datasetFor(fw, body.evaluationDataset, 'evaluationDataset', collection);
  const epochs = positiveInteger(config.epochs, 'epochs', 1);
  const learningRate = config.learningRate === undefined ? FIREWORKS_DEFAULT_LEARNING_RATE : Number(config.learningRate);
  if (!(learningRate > 0 && learningRate < 1)) throw invalidArgument(`learningRate must be in (0, 1), got ${JSON.stringify(config.learningRate)}`);
  const outputModel = config.outputModel === undefined ? id : checkResourceId(config.outputModel, 'output model');
  if (fw.jobs.list().some((j) => j.outputModel === outputModel)) throw alreadyExists(`model "${fw.resource('models', outputModel)}" already exists`);
  const batchSize = config.batchSize === undefined ? null : positiveInteger(config.batchSize, 'batchSize', 8);
  const record = await startCoreJob(ctx.state, {
    model: baseModel,
    trainingFile: await coreFileOf(ctx.state, dataset.coreFileId!, collection),
    validationFile: evaluation ? await coreFileOf(ctx.state, evaluation.coreFileId!, collection) : null,
    suffix: outputModel,
    seed: FIREWORKS_EMULATOR_SEED,
    hyperparameters: { n_epochs: epochs, batch_size: batchSize ?? 'auto', learning_rate_multiplier: learningRate / FIREWORKS_DEFAULT_LEARNING_RATE },
  });
  const loss = body.lossConfig as { klBeta?: unknown } | undefined;
  const job: FireworksJob = {
    collection,
    id,
    coreId: record.job.id,
    baseModel,
    dataset: fw.resource('datasets', dataset.id),
    evaluationDataset: evaluation ? fw.resource('datasets', evaluation.id) : null,
    outputModel,
    displayName: typeof body.displayName === 'string' ? body.displayName : id,
    epochs,
    learningRate,
    batchSize,
    loraRank: positiveInteger(config.loraRank, 'loraRank', 8),
    klBeta: typeof loss?.klBeta === 'number' ? loss.klBeta : null,
    createTime: new Date(record.createdMs).toISOString(),
  };
  return fw.jobs.save(`${collection}/${id}`, job);
}

function datasetFor(fw: FireworksState, name: unknown, field: string, collection: JobCollection) {
  const id = typeof name === 'string' ? fw.idIn(name, 'datasets') : undefined;
  const dataset = id ? fw.datasets.get(id) : undefined;
  if (!dataset) throw notFound(`${field}: dataset ${JSON.stringify(name)} not found in account "${fw.account}"`);
  if (dataset.state !== 'READY') throw failedPrecondition(`${field}: dataset "${name}" is ${dataset.state}: upload it first`);
  if (collection === 'dpoJobs' && !dataset.preference) throw invalidArgument(`${field}: DPO needs preference data (input, preferred_output, non_preferred_output)`);
  if (collection === 'supervisedFineTuningJobs' && dataset.preference) throw invalidArgument(`${field}: dataset "${name}" holds preference data: create a DPO job`);
  return dataset;
}

async function coreFileOf(state: ServerState, coreFile: string, collection: JobCollection): Promise<string> {
  if (collection === 'supervisedFineTuningJobs') return coreFile;
  const temp = state.files.tempPath();
  await preferenceAsChat(state.files.contentPath(coreFile), temp);
  return (await state.files.adopt(temp, { filename: `${coreFile}.preferred.jsonl`, purpose: 'fine-tune' })).id;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1) throw invalidArgument(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return value as number;
}
