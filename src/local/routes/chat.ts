/** POST /v1/chat/completions, plain JSON or server-sent events (`stream: true`), with usage. */
import type { ServerResponse } from 'node:http';
import { invalidRequest } from '../api-error.js';
import { readJsonBody, sendJson } from '../http-io.js';
import { randomId } from '../random.js';
import { countExampleTokens } from '../../data/tokens.js';
import { encodingFor } from '../../models/catalog.js';
import { answerFor, applyStop } from '../chat/answer.js';
import { limitTokens } from '../chat/token-text.js';
import { findModel, modelNotFound } from './models.js';
import type { PromptMessage } from '../trainer/features.js';
import type { RequestContext, Route } from './route-table.js';

export const chatRoutes: Route[] = [{ method: 'POST', pattern: '/v1/chat/completions', handle: createChatCompletion }];

interface Choice {
  index: number;
  content: string;
  pieces: string[];
  finishReason: 'stop' | 'length';
  completionTokens: number;
}

async function createChatCompletion({ req, res, state }: RequestContext): Promise<void> {
  const body = await readJsonBody(req, state.limits.jsonBytes);
  const model = typeof body.model === 'string' ? body.model : '';
  if (!model) throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const messages = checkMessages(body.messages);
  if (!findModel(state.models, model)) throw modelNotFound(model);
  const temperature = numberIn(body.temperature, 'temperature', 0, 2) ?? 1;
  const maxTokens = integerAtLeast1(body.max_completion_tokens, 'max_completion_tokens') ?? integerAtLeast1(body.max_tokens, 'max_tokens');
  const n = integerAtLeast1(body.n, 'n') ?? 1;
  const seed = typeof body.seed === 'number' ? body.seed : undefined;
  const stop = body.stop === undefined || body.stop === null ? [] : Array.isArray(body.stop) ? body.stop.map(String) : [String(body.stop)];

  const choices: Choice[] = [];
  for (let index = 0; index < n; index++) {
    const raw = answerFor(state.models, model, messages, { temperature, seed: seed === undefined ? undefined : seed + index });
    const stopped = applyStop(raw, stop);
    const limited = limitTokens(stopped.text, model, maxTokens);
    choices.push({ index, content: limited.text, pieces: limited.pieces, finishReason: limited.truncated ? 'length' : 'stop', completionTokens: limited.pieces.length });
  }
  const promptTokens = countExampleTokens({ messages }, encodingFor(model)).total;
  const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const head = { id: randomId('chatcmpl-', 29), created: Math.floor(Date.now() / 1000), model, system_fingerprint: 'fp_local' };

  if (body.stream === true) {
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    streamChoices(res, head, choices, includeUsage ? usage : undefined);
    return;
  }
  sendJson(res, 200, {
    ...head,
    object: 'chat.completion',
    choices: choices.map((c) => ({ index: c.index, message: { role: 'assistant', content: c.content, refusal: null, annotations: [] }, logprobs: null, finish_reason: c.finishReason })),
    usage,
    service_tier: 'default',
  });
}

function streamChoices(res: ServerResponse, head: Record<string, unknown>, choices: Choice[], usage: Record<string, number> | undefined): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (choice: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: choice ? [choice] : [], ...extra })}\n\n`);
  for (const c of choices) {
    send({ index: c.index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null });
    for (const piece of c.pieces) send({ index: c.index, delta: { content: piece }, logprobs: null, finish_reason: null });
    send({ index: c.index, delta: {}, logprobs: null, finish_reason: c.finishReason });
  }
  if (usage) send(undefined, { usage });
  res.end('data: [DONE]\n\n');
}

function checkMessages(value: unknown): PromptMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  value.forEach((m, i) => {
    if (typeof m !== 'object' || m === null || typeof (m as PromptMessage).role !== 'string') {
      throw invalidRequest(`Invalid 'messages[${i}]': expected an object with a 'role'.`, `messages[${i}]`, 'invalid_value');
    }
  });
  return value as PromptMessage[];
}

function numberIn(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || value < min || value > max) throw invalidRequest(`Invalid '${name}': ${JSON.stringify(value)}. Expected a number from ${min} to ${max}.`, name, 'invalid_value');
  return value;
}

function integerAtLeast1(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw invalidRequest(`Invalid '${name}': ${JSON.stringify(value)}. Expected an integer of at least 1.`, name, 'invalid_value');
  return value as number;
}
