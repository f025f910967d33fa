/**
 * POST /v1/chat/completions, plain JSON or server-sent events (`stream: true`), with usage. The work is
 * bounded (request-limits.ts) and shared out: prompt counting, features and choices take turns with
 * every other request (compute-budget.ts), and a stream waits for the client to read.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { readJsonBody, sendJson } from '../http-io.js';
import { randomId } from '../random.js';
import { encodingFor } from '../../models/catalog.js';
import { answersFor, applyStop } from '../chat/answer.js';
import { parseChatRequest } from '../chat/chat-request.js';
import { computeBudget, type ComputeBudget } from '../chat/compute-budget.js';
import { countPromptTokens } from '../chat/prompt-tokens.js';
import { ranksReady } from '../chat/ranks-loader.js';
import { limitTokens, type TokenText } from '../chat/token-text.js';
import { findModel, modelNotFound } from './models.js';
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
  const request = parseChatRequest(await readJsonBody(req, state.limits.jsonBytes), state.limits);
  if (!findModel(state.models, request.model)) throw modelNotFound(request.model);
  const budget = computeBudget(state.limits.computeMs);
  await ranksReady(encodingFor(request.model));
  const promptTokens = await countPromptTokens(request.messages, encodingFor(request.model), state.limits.maxPromptTokens, budget);
  const answers = await answersFor(state.models, request.model, request.messages, { temperature: request.temperature, seed: request.seed, n: request.n }, budget);

  // Choices often repeat an answer (temperature 0, a few labels): tokenize each distinct one once.
  const tokenized = new Map<string, TokenText>();
  const choices: Choice[] = [];
  for (const [index, raw] of answers.entries()) {
    const stopped = applyStop(raw, request.stop).text;
    let limited = tokenized.get(stopped);
    if (!limited) {
      limited = limitTokens(stopped, request.model, request.maxTokens);
      tokenized.set(stopped, limited);
      await budget.turn();
    }
    choices.push({ index, content: limited.text, pieces: limited.pieces, finishReason: limited.truncated ? 'length' : 'stop', completionTokens: limited.tokens });
  }
  const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const head = { id: randomId('chatcmpl-', 29), created: Math.floor(Date.now() / 1000), model: request.model, system_fingerprint: 'fp_local' };

  if (request.stream) return streamChoices(res, head, choices, request.includeUsage ? usage : undefined, budget);
  sendJson(res, 200, {
    ...head,
    object: 'chat.completion',
    choices: choices.map((c) => ({ index: c.index, message: { role: 'assistant', content: c.content, refusal: null, annotations: [] }, logprobs: null, finish_reason: c.finishReason })),
    usage,
    service_tier: 'default',
  });
}

async function streamChoices(res: ServerResponse, head: Record<string, unknown>, choices: Choice[], usage: Record<string, number> | undefined, budget: ComputeBudget): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = async (choice: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) => {
    if (res.destroyed) return;
    if (!res.write(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: choice ? [choice] : [], ...extra })}\n\n`)) {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
  };
  for (const c of choices) {
    await send({ index: c.index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null });
    for (const piece of c.pieces) await send({ index: c.index, delta: { content: piece }, logprobs: null, finish_reason: null });
    await send({ index: c.index, delta: {}, logprobs: null, finish_reason: c.finishReason });
    await budget.turn().catch(() => {}); // the answer is already committed: past the limit, finish rather than cut the stream
  }
  if (usage) await send(undefined, { usage });
  res.end('data: [DONE]\n\n');
}
