/**
 * Together's dedicated endpoints (POST/GET/PATCH/DELETE /endpoints) and /hardware. An endpoint of a
 * fine-tuned model answers chat under the endpoint's name once STARTED (about 100 ms here); stopping
 * or deleting it withdraws that name. Hardware prices are the emulator's own figures.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readJsonBody, sendJson } from '../../http-io.js';
import { catalogFor } from '../../../models/catalog.js';
import { publishAlias, withdrawAlias } from '../vendor/model-aliases.js';
import type { RequestContext, Route, ServerState } from '../route-table.js';
import { invalidRequest, notFound } from './together-errors.js';
import { TOGETHER_USER, type TogetherEndpoint, type TogetherState } from './together-state.js';

const START_MS = 100;

export const emulatorHardware = [
  { id: '1x_nvidia_h100_80gb_sxm', cents_per_minute: 5.5, gpu_count: 1 },
  { id: '2x_nvidia_h100_80gb_sxm', cents_per_minute: 11, gpu_count: 2 },
];

export function endpointRoutes(together: TogetherState): Route[] {
  /** The core model an endpoint serves: a fine-tune's trained model, or a catalog base (answers untrained). */
  const coreModelOf = (state: ServerState, model: string) => {
    const job = together.jobByOutputName(model);
    return job ? state.jobs.get(job.coreId)?.job.fine_tuned_model ?? null : null;
  };
  /** Advance a starting endpoint; publish its name once it is STARTED. */
  const refresh = async (state: ServerState, endpoint: TogetherEndpoint) => {
    if ((endpoint.state === 'PENDING' || endpoint.state === 'STARTING') && Date.now() - endpoint.startRequestedMs >= START_MS) {
      const core = coreModelOf(state, endpoint.model);
      endpoint.state = core === null || (await publishAlias(state, core, endpoint.name)) ? 'STARTED' : 'ERROR';
      await together.endpoints.save(endpoint.id, endpoint);
    } else if (endpoint.state === 'PENDING') {
      endpoint.state = 'STARTING';
      await together.endpoints.save(endpoint.id, endpoint);
    }
    return endpoint;
  };
  const endpointOr404 = async ({ params, state }: RequestContext) => {
    const endpoint = together.endpoints.get(params.id);
    if (!endpoint) throw notFound(`Endpoint ${params.id} not found`, 'endpointId', 'not_found');
    return refresh(state, endpoint);
  };

  return [
    {
      method: 'POST',
      pattern: '/v1/endpoints',
      async handle({ req, res, state }) {
        const body = await readJsonBody(req, state.limits.jsonBytes);
        const model = typeof body.model === 'string' ? body.model : '';
        if (!together.jobByOutputName(model) && !catalogFor('together').some((m) => m.id === model)) throw invalidRequest(`Model ${model} does not exist or cannot be deployed.`, 'model', 'model_not_found');
        const hardware = typeof body.hardware === 'string' ? body.hardware : '';
        if (!emulatorHardware.some((h) => h.id === hardware)) throw invalidRequest(`Hardware ${JSON.stringify(hardware)} is not available for ${model} (see GET /hardware?model=).`, 'hardware');
        const autoscaling = body.autoscaling as { min_replicas?: unknown; max_replicas?: unknown } | undefined;
        const min = Number(autoscaling?.min_replicas);
        const max = Number(autoscaling?.max_replicas);
        if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) throw invalidRequest('autoscaling needs integers min_replicas ≥ 1 and max_replicas ≥ min_replicas.', 'autoscaling');
        const id = `endpoint-${randomUUID()}`;
        const endpoint: TogetherEndpoint = {
          id,
          name: `${TOGETHER_USER}/${model.split('/').pop()}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`,
          display_name: typeof body.display_name === 'string' ? body.display_name : model,
          model,
          hardware,
          autoscaling: { min_replicas: min, max_replicas: max },
          inactive_timeout: typeof body.inactive_timeout === 'number' ? body.inactive_timeout : null,
          state: body.state === 'STOPPED' ? 'STOPPED' : 'PENDING',
          created_at: new Date().toISOString(),
          startRequestedMs: Date.now(),
        };
        await together.endpoints.save(id, endpoint);
        sendJson(res, 200, dedicated(endpoint));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/endpoints',
      async handle({ res, url, state }) {
        const type = url.searchParams.get('type');
        const data = type === 'serverless' ? [] : await Promise.all(together.endpoints.list().map((e) => refresh(state, e)));
        sendJson(res, 200, { object: 'list', data: data.map(({ id, created_at, model, name, state: s }) => ({ id, created_at, model, name, object: 'endpoint', owner: TOGETHER_USER, state: s, type: 'dedicated' })) });
      },
    },
    { method: 'GET', pattern: '/v1/endpoints/:id', handle: async (ctx) => sendJson(ctx.res, 200, dedicated(await endpointOr404(ctx))) },
    {
      method: 'PATCH',
      pattern: '/v1/endpoints/:id',
      async handle(ctx) {
        const endpoint = await endpointOr404(ctx);
        const body = await readJsonBody(ctx.req, ctx.state.limits.jsonBytes);
        if (body.state === 'STOPPED' && endpoint.state !== 'STOPPED') {
          endpoint.state = 'STOPPED';
          await withdrawAlias(ctx.state, endpoint.name);
        } else if (body.state === 'STARTED' && (endpoint.state === 'STOPPED' || endpoint.state === 'ERROR')) {
          Object.assign(endpoint, { state: 'PENDING', startRequestedMs: Date.now() });
        } else if (body.state !== undefined && body.state !== 'STARTED' && body.state !== 'STOPPED') {
          throw invalidRequest('state must be STARTED or STOPPED.', 'state');
        }
        if (typeof body.display_name === 'string') endpoint.display_name = body.display_name;
        await together.endpoints.save(endpoint.id, endpoint);
        sendJson(ctx.res, 200, dedicated(endpoint));
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/endpoints/:id',
      async handle(ctx) {
        const endpoint = await endpointOr404(ctx);
        await withdrawAlias(ctx.state, endpoint.name);
        await together.endpoints.delete(endpoint.id);
        ctx.res.writeHead(204);
        ctx.res.end();
      },
    },
    {
      method: 'GET',
      pattern: '/v1/hardware',
      async handle({ res }) {
        const data = emulatorHardware.map((h) => ({ id: h.id, object: 'hardware', pricing: { cents_per_minute: h.cents_per_minute }, specs: { gpu_count: h.gpu_count, gpu_link: 'sxm', gpu_memory: 80, gpu_type: 'h100' }, updated_at: '2026-11-01T00:00:00Z', availability: { status: 'available' } }));
        sendJson(res, 200, { object: 'list', data });
      },
    },
  ];
}

function dedicated(e: TogetherEndpoint) {
  return { id: e.id, object: 'endpoint', name: e.name, display_name: e.display_name, model: e.model, hardware: e.hardware, type: 'dedicated', owner: TOGETHER_USER, state: e.state, autoscaling: e.autoscaling, created_at: e.created_at };
}
