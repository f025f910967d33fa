/**
 * Together's chat (OpenAI's shape, served by the core) and model list. A fine-tune answers serverless
 * when its base supports serverless LoRA; otherwise only through a STARTED dedicated endpoint, and
 * asking for it directly gets Together's "non-serverless model" error.
 */
import { catalogAsOf, catalogFor, modelFacts } from '../../../models/catalog.js';
import { sendJson } from '../../http-io.js';
import { chatRoutes } from '../chat.js';
import { peekJsonBody } from '../vendor/replayed-body.js';
import { publishAlias } from '../vendor/model-aliases.js';
import type { Route } from '../route-table.js';
import { endpointNotRunning, nonServerlessModel } from './together-errors.js';
import type { TogetherState } from './together-state.js';

const coreChat = chatRoutes[0];

export function chatAndModelRoutes(together: TogetherState): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/chat/completions',
      async handle(ctx) {
        const endpoint = (body: Record<string, unknown>) => together.endpoints.list().find((e) => e.name === body.model);
        const { body, ctx: replay } = await peekJsonBody(ctx, (b) => {
          // An endpoint of a base model answers as that base (a fine-tune's endpoint name is published on start).
          const e = endpoint(b);
          return e && e.state === 'STARTED' && !together.jobByOutputName(e.model) ? { ...b, model: e.model } : b;
        });
        const served = endpoint(body);
        if (served && served.state !== 'STARTED') throw endpointNotRunning(served.name, served.state);
        const job = typeof body.model === 'string' ? together.jobByOutputName(body.model) : undefined;
        const core = job && ctx.state.jobs.get(job.coreId)?.job.fine_tuned_model;
        if (job && core) {
          if (!modelFacts(job.model)?.serverlessLora) throw nonServerlessModel(job.outputName);
          await publishAlias(ctx.state, core, job.outputName);
        }
        await coreChat.handle(replay);
      },
    },
    {
      method: 'GET',
      pattern: '/v1/models',
      async handle({ res, state }) {
        const created = Math.floor(Date.parse(catalogAsOf) / 1000);
        const bases = catalogFor('together').map((m) => ({ id: m.id, object: 'model', created, type: 'chat', display_name: m.id.split('/').pop(), organization: m.id.split('/')[0], context_length: m.trainingExampleLimit }));
        const tuned = together.jobs.list().filter((job) => state.jobs.get(job.coreId)?.job.status === 'succeeded').map((job) => ({ id: job.outputName, object: 'model', created, type: 'chat', display_name: job.outputName, organization: 'local-user' }));
        sendJson(res, 200, [...bases, ...tuned]);
      },
    },
  ];
}
