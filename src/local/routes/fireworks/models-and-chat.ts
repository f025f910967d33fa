/**
 * Fireworks models (GET accounts/<a>/models[/<id>]: the tunable bases under accounts/fireworks, the
 * account's fine-tuned LoRA addons) and its OpenAI-compatible inference API (/inference/v1). A
 * fine-tuned model answers only through a READY deployment (`<model>#<deployment>`), as on Fireworks.
 */
import { catalogAsOf, catalogFor } from '../../../models/catalog.js';
import { ApiError } from '../../api-error.js';
import { sendJson } from '../../http-io.js';
import { chatRoutes } from '../chat.js';
import { peekJsonBody } from '../vendor/replayed-body.js';
import type { RequestContext, Route } from '../route-table.js';
import { notFound } from './fireworks-errors.js';
import type { FireworksState } from './fireworks-state.js';

const coreChat = chatRoutes[0];
const createTime = new Date(catalogAsOf).toISOString();

export function modelAndChatRoutes(fw: FireworksState): Route[] {
  const bases = () => catalogFor('fireworks').map((m) => ({ name: m.id, displayName: m.id.split('/').pop(), kind: 'HF_BASE_MODEL', state: 'READY', tunable: true, supportsLora: true, contextLength: m.trainingExampleLimit, createTime, ...(m.shutdownDate ? { deprecationDate: dateOf(m.shutdownDate) } : {}) }));
  const tuned = (ctx: RequestContext) =>
    fw.jobs.list().filter((j) => ctx.state.jobs.get(j.coreId)?.job.status === 'succeeded').map((j) => ({ name: fw.resource('models', j.outputModel), displayName: j.outputModel, kind: 'HF_PEFT_ADDON', state: 'READY', fineTuningJob: fw.resource(j.collection, j.id), peftDetails: { baseModel: j.baseModel, r: j.loraRank }, createTime: j.createTime }));
  const modelsOf = (ctx: RequestContext) => (ctx.params.account === 'fireworks' ? bases() : (fw.checkAccount(ctx.params.account), tuned(ctx)));

  return [
    { method: 'GET', pattern: '/v1/accounts/:account/models', handle: async (ctx) => sendJson(ctx.res, 200, { models: modelsOf(ctx), nextPageToken: '', totalSize: modelsOf(ctx).length }) },
    {
      method: 'GET',
      pattern: '/v1/accounts/:account/models/:model',
      async handle(ctx) {
        const name = `accounts/${ctx.params.account}/models/${ctx.params.model}`;
        const model = modelsOf(ctx).find((m) => m.name === name);
        if (!model) throw notFound(`model "${name}" not found`);
        sendJson(ctx.res, 200, model);
      },
    },
    {
      method: 'POST',
      pattern: '/inference/v1/chat/completions',
      async handle(ctx) {
        const { body, ctx: replay } = await peekJsonBody(ctx, (b) => {
          // A deployment of a base model answers as the base.
          const [model, deployment] = String(b.model ?? '').split('#');
          return deployment && !fw.jobByOutputModel(model) ? { ...b, model } : b;
        });
        const [model, deployment] = String(body.model ?? '').split('#');
        if (fw.jobByOutputModel(model) && (!deployment || !ctx.state.models.has(String(body.model)))) {
          throw new ApiError(404, `Model not found, inaccessible, and/or not deployed: ${body.model}. A fine-tuned model is served by an on-demand deployment: address it as <model>#accounts/${fw.account}/deployments/<id>.`, { code: 'NOT_FOUND', param: 'model' });
        }
        await coreChat.handle(replay);
      },
    },
    {
      method: 'GET',
      pattern: '/inference/v1/models',
      async handle({ res }) {
        const created = Math.floor(Date.parse(catalogAsOf) / 1000);
        sendJson(res, 200, { object: 'list', data: catalogFor('fireworks').map((m) => ({ id: m.id, object: 'model', created, owned_by: 'fireworks' })) });
      },
    },
  ];
}

function dateOf(iso: string) {
  const [year, month, day] = iso.split('-').map(Number);
  return { year, month, day };
}
