/**
 * /v1/models: the base models the local provider can fine-tune (from the model catalog, with their
 * shutdown dates) and the fine-tuned models it has created. Checkpoint models answer chat requests but,
 * like on OpenAI, are not listed.
 */
import { catalogAsOf, modelCatalog, modelFacts } from '../../models/catalog.js';
import { ApiError, notFound } from '../api-error.js';
import { sendJson } from '../http-io.js';
import type { ModelStore } from '../state/model-store.js';
import type { RequestContext, Route } from './route-table.js';

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  shutdown_date: string | null;
}

export const modelRoutes: Route[] = [
  { method: 'GET', pattern: '/v1/models', handle: async ({ res, state }) => sendJson(res, 200, { object: 'list', data: listModels(state.models) }) },
  { method: 'GET', pattern: '/v1/models/:id', handle: retrieveModel },
  { method: 'DELETE', pattern: '/v1/models/:id', handle: deleteModel },
];

const CATALOG_CREATED = Math.floor(Date.parse(catalogAsOf) / 1000);

export function listModels(models: ModelStore): ModelObject[] {
  const bases = modelCatalog.filter((m) => m.fineTunable).map((m) => baseModel(m.id));
  const tuned = models.list().filter((m) => !isCheckpoint(m.id)).map((m) => tunedModel(m.id, m.created, m.base));
  return [...bases, ...tuned];
}

/** The model object for any id the server can answer with, or undefined. */
export function findModel(models: ModelStore, id: string): ModelObject | undefined {
  const tuned = models.summary(id);
  if (tuned) return tunedModel(tuned.id, tuned.created, tuned.base);
  if (modelCatalog.some((m) => m.id === id && m.fineTunable)) return baseModel(id);
  return undefined;
}

export function modelNotFound(id: string): ApiError {
  return notFound(`The model \`${id}\` does not exist or you do not have access to it.`, 'model', 'model_not_found');
}

async function retrieveModel({ res, params, state }: RequestContext): Promise<void> {
  const model = findModel(state.models, params.id);
  if (!model) throw modelNotFound(params.id);
  sendJson(res, 200, model);
}

async function deleteModel({ res, params, state }: RequestContext): Promise<void> {
  if (!state.models.has(params.id)) {
    if (findModel(state.models, params.id)) throw new ApiError(403, `You have insufficient permissions to delete the base model ${params.id}; only fine-tuned models can be deleted.`, { type: 'invalid_request_error', param: 'model' });
    throw modelNotFound(params.id);
  }
  await state.models.delete(params.id);
  sendJson(res, 200, { id: params.id, object: 'model', deleted: true });
}

function baseModel(id: string): ModelObject {
  return { id, object: 'model', created: CATALOG_CREATED, owned_by: 'system', shutdown_date: modelFacts(id)?.shutdownDate ?? null };
}

function tunedModel(id: string, created: number, base: string): ModelObject {
  return { id, object: 'model', created, owned_by: 'local', shutdown_date: modelFacts(base)?.shutdownDate ?? null };
}

function isCheckpoint(id: string): boolean {
  return /:ckpt-step-\d+$/.test(id);
}
