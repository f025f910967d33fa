/**
 * OpenAI's reasoning models (o-series, gpt-5) refuse `max_tokens` and take `max_completion_tokens`. The real
 * CLI asks a stand-in server that answers exactly as OpenAI does (400 unsupported_parameter for
 * max_tokens on those models) and records what it was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeProject } from '../helpers/project.js';

const bodies: Array<Record<string, unknown>> = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      bodies.push(body);
      const reasoning = /^(o\d|gpt-5)/.test(String(body.model));
      res.setHeader('content-type', 'application/json');
      if (reasoning && 'max_tokens' in body) {
        res.statusCode = 400;
        return res.end(JSON.stringify({ error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } }));
      }
      res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'OpenSSH' }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('max_completion_tokens', () => {
  it('goes to reasoning models in place of max_tokens; other models keep max_tokens', async () => {
    const recipe = (model: string) =>
      `provider: { kind: openai-compatible, base_url: "${url}" }\nstages:\n  ask:\n    uses: infer\n    with: { model: ${model}, user_input: "Failed password for root from 10.0.0.1 port 22 ssh2", max_tokens: 16, temperature: 1 }\n`;
    const p = makeProject({ 'o.yaml': recipe('o4-mini-2025-04-16'), 'gpt.yaml': recipe('gpt-4o-mini-2024-07-18') });
    const reasoning = await p.run(['run', 'o.yaml']);
    expect(reasoning.stderr).toBe('');
    expect(reasoning.code).toBe(0);
    expect(reasoning.stdout).toMatch(/✓ ask ran\b.*: OpenSSH/);
    expect(bodies.at(-1)).toMatchObject({ model: 'o4-mini-2025-04-16', max_completion_tokens: 16 });
    expect(bodies.at(-1)).not.toHaveProperty('max_tokens');
    expect((await p.run(['run', 'gpt.yaml'])).code).toBe(0);
    expect(bodies.at(-1)).toMatchObject({ model: 'gpt-4o-mini-2024-07-18', max_tokens: 16 });
    expect(bodies.at(-1)).not.toHaveProperty('max_completion_tokens');
  });
});
