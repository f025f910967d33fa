/**
 * Fireworks on-demand deployments: create with a client-chosen deploymentId (ALREADY_EXISTS on a
 * repeat), get, list, delete. A deployment of a fine-tuned (LoRA) model is "live merge": once READY
 * (about 100 ms here) chat reaches it as `<model>#accounts/<a>/deployments/<id>`; deleting it withdraws
 * that name. Accelerator types are the ones Fireworks lists; prices are not part of this API.
 */
import { readJsonBody, sendJson } from '../../http-io.js';
import { catalogFor } from '../../../models/catalog.js';
import { publishAlias, withdrawAlias } from '../vendor/model-aliases.js';
import type { RequestContext, Route, ServerState } from '../route-table.js';
import { alreadyExists, invalidArgument, notFound } from './fireworks-errors.js';
import type { FireworksDeployment, FireworksState } from './fireworks-state.js';
import { checkResourceId } from './ids.js';
import { page } from './paging.js';

const READY_MS = 100;
export const acceleratorTypes = ['NVIDIA_A100_80GB', 'NVIDIA_H100_80GB', 'NVIDIA_H200_141GB', 'AMD_MI300X_192GB'];

export function deploymentRoutes(fw: FireworksState): Route[] {
  const callableName = (d: FireworksDeployment) => `${d.baseModel}#${fw.resource('deployments', d.id)}`;
  const refresh = async (state: ServerState, d: FireworksDeployment) => {
    if (d.state !== 'CREATING' || Date.now() - d.createdMs < READY_MS) return d;
    const job = fw.jobByOutputModel(d.baseModel);
    const core = job ? state.jobs.get(job.coreId)?.job.fine_tuned_model : null;
    d.state = job && (!core || !(await publishAlias(state, core, callableName(d)))) ? 'FAILED' : 'READY';
    return fw.deployments.save(d.id, d);
  };
  const deploymentOr404 = async (ctx: RequestContext) => {
    fw.checkAccount(ctx.params.account);
    const d = fw.deployments.get(ctx.params.deployment);
    if (!d) throw notFound(`deployment "${fw.resource('deployments', ctx.params.deployment)}" not found`);
    return refresh(ctx.state, d);
  };

  return [
    {
      method: 'POST',
      pattern: '/v1/accounts/:account/deployments',
      async handle({ req, res, params, url, state }) {
        fw.checkAccount(params.account);
        const id = checkResourceId(url.searchParams.get('deploymentId') ?? '', 'deployment');
        if (fw.deployments.has(id)) throw alreadyExists(`deployment "${fw.resource('deployments', id)}" already exists`);
        const body = await readJsonBody(req, state.limits.jsonBytes);
        const baseModel = typeof body.baseModel === 'string' ? body.baseModel : '';
        const tuned = fw.jobByOutputModel(baseModel);
        if (tuned && state.jobs.get(tuned.coreId)?.job.status !== 'succeeded') throw invalidArgument(`model "${baseModel}" is not ready to deploy (its job has not completed)`);
        if (!tuned && !catalogFor('fireworks').some((m) => m.id === baseModel)) throw notFound(`model "${baseModel}" not found`);
        const acceleratorType = typeof body.acceleratorType === 'string' ? body.acceleratorType : 'NVIDIA_A100_80GB';
        if (!acceleratorTypes.includes(acceleratorType)) throw invalidArgument(`acceleratorType must be one of ${acceleratorTypes.join(', ')}`);
        const min = body.minReplicaCount === undefined ? 0 : Number(body.minReplicaCount);
        const max = body.maxReplicaCount === undefined ? 1 : Number(body.maxReplicaCount);
        if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < Math.max(1, min)) throw invalidArgument('minReplicaCount must be ≥ 0 and maxReplicaCount ≥ max(1, minReplicaCount)');
        const now = Date.now();
        const d: FireworksDeployment = { id, baseModel, displayName: typeof body.displayName === 'string' ? body.displayName : id, minReplicaCount: min, maxReplicaCount: max, acceleratorType, acceleratorCount: Number(body.acceleratorCount ?? 1) || 1, state: 'CREATING', createTime: new Date(now).toISOString(), createdMs: now };
        await fw.deployments.save(id, d);
        sendJson(res, 200, view(fw, d));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:account/deployments',
      async handle(ctx) {
        fw.checkAccount(ctx.params.account);
        const all = await Promise.all(fw.deployments.list().map((d) => refresh(ctx.state, d)));
        const { items, nextPageToken } = page(all, ctx.url);
        sendJson(ctx.res, 200, { deployments: items.map((d) => view(fw, d)), nextPageToken, totalSize: all.length });
      },
    },
    { method: 'GET', pattern: '/v1/accounts/:account/deployments/:deployment', handle: async (ctx) => sendJson(ctx.res, 200, view(fw, await deploymentOr404(ctx))) },
    {
      method: 'DELETE',
      pattern: '/v1/accounts/:account/deployments/:deployment',
      async handle(ctx) {
        const d = await deploymentOr404(ctx);
        await withdrawAlias(ctx.state, callableName(d));
        await fw.deployments.delete(d.id);
        sendJson(ctx.res, 200, {});
      },
    },
  ];
}

function view(fw: FireworksState, d: FireworksDeployment) {
  return { name: fw.resource('deployments', d.id), displayName: d.displayName, baseModel: d.baseModel, state: d.state, status: { code: d.state === 'FAILED' ? 'INTERNAL' : 'OK', message: '' }, minReplicaCount: d.minReplicaCount, maxReplicaCount: d.maxReplicaCount, acceleratorType: d.acceleratorType, acceleratorCount: d.acceleratorCount, createTime: d.createTime };
}
