/**
 * POST /fine-tunes/estimate-price. The emulator's own price table (per 1M trained tokens, modelled on
 * Together's published LoRA/full prices; the adapter always asks the real endpoint): up to 16B $0.48,
 * larger models $2.90; full training ×1.1; DPO ×2.5. A price above the account's credit limit
 * (FlavourOptions.creditLimitUsd) comes back with allowed_to_proceed: false.
 */
import { readJsonBody, sendJson } from '../../http-io.js';
import { fileTokens } from '../vendor/file-tokens.js';
import type { RequestContext, ServerState } from '../route-table.js';
import { invalidRequest } from './together-errors.js';
import type { TogetherState } from './together-state.js';

const DEFAULT_CREDIT_LIMIT_USD = 1000;

export function pricePerMTok(model: string, full: boolean, dpo: boolean): number {
  const large = /\b(70B|72B|405B)\b/i.test(model.replace(/-/g, ' '));
  return (large ? 2.9 : 0.48) * (full ? 1.1 : 1) * (dpo ? 2.5 : 1);
}

export async function estimatePrice(ctx: RequestContext, together: TogetherState): Promise<void> {
  const body = await readJsonBody(ctx.req, ctx.state.limits.jsonBytes);
  const trainingFile = typeof body.training_file === 'string' ? together.files.get(body.training_file) : undefined;
  if (!trainingFile) throw invalidRequest('training_file: no such file.', 'training_file', 'invalid_file_id');
  const validation = typeof body.validation_file === 'string' ? together.files.get(body.validation_file) : undefined;
  const unavailable = (reason: string) => sendJson(ctx.res, 200, { estimation_available: false, unavailable_reason: reason });
  if (trainingFile.processing_status === 'INVALID_FORMAT' || trainingFile.processing_status === 'FAILED') return unavailable('train_file_invalid');
  if (trainingFile.processing_status !== 'COMPLETED') return unavailable('train_file_not_validated');
  if (validation && validation.processing_status !== 'COMPLETED') return unavailable(validation.processing_status === 'INVALID_FORMAT' ? 'eval_file_invalid' : 'eval_file_not_validated');
  const model = typeof body.model === 'string' ? body.model : '';
  const epochs = typeof body.n_epochs === 'number' ? body.n_epochs : 1;
  const evals = typeof body.n_evals === 'number' ? body.n_evals : 0;
  const train = (await fileTokens(ctx.state.files.contentPath(trainingFile.coreId), model)) * epochs;
  const evalTokens = validation && evals > 0 ? (await fileTokens(ctx.state.files.contentPath(validation.coreId), model)) * evals : 0;
  const full = (body.training_type as { type?: string } | undefined)?.type === 'Full';
  const dpo = (body.training_method as { method?: string } | undefined)?.method === 'dpo';
  const price = round((train + evalTokens) / 1e6 * pricePerMTok(model, full, dpo));
  const limit = together.options.creditLimitUsd ?? DEFAULT_CREDIT_LIMIT_USD;
  sendJson(ctx.res, 200, { estimation_available: true, allowed_to_proceed: price <= limit, estimated_total_price: price, estimated_train_token_count: train, estimated_eval_token_count: evalTokens, user_limit: limit });
}

/** The price a job is billed at creation, for its total_price. */
export async function jobPrice(state: ServerState, coreTrainingFile: string, model: string, epochs: number, full: boolean, dpo: boolean): Promise<{ tokens: number; price: number }> {
  const tokens = (await fileTokens(state.files.contentPath(coreTrainingFile), model)) * epochs;
  return { tokens, price: round((tokens / 1e6) * pricePerMTok(model, full, dpo)) };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
