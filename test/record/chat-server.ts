/**
 * A tiny real HTTP server speaking the chat completions shape (JSON and SSE streaming), for the
 * recording client's tests. It answers "echo: <last user message>" and keeps every request body.
 * Model "fail" answers 400; model "slow-stream" waits `pauseMs` after the first chunk.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatServer {
  url: string;
  requests: Array<Record<string, any>>;
  close(): Promise<void>;
}

export async function startChatServer(options: { pauseMs?: number } = {}): Promise<ChatServer> {
  const requests: Array<Record<string, any>> = [];
  let counter = 0;
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req));
    requests.push(body);
    const id = `req_${++counter}`;
    if (req.url !== '/v1/chat/completions' || body.model === 'fail') {
      res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': id });
      res.end(JSON.stringify({ error: { message: 'model fail does not exist', type: 'invalid_request_error', code: 'model_not_found' } }));
      return;
    }
    const last = [...body.messages].reverse().find((m: any) => m.role === 'user');
    const content = `echo: ${last?.content ?? ''}`;
    const created = 1_700_000_000;
    const n = body.n ?? 1;
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id });
      const choices = Array.from({ length: n }, (_, index) => ({ index, message: { role: 'assistant', content: n > 1 ? `${content} #${index}` : content }, finish_reason: 'stop' }));
      res.end(JSON.stringify({ id: `chatcmpl-${counter}`, object: 'chat.completion', created, model: `${body.model}-0001`, choices }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': id });
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: `chatcmpl-${counter}`, object: 'chat.completion.chunk', created, model: `${body.model}-0001`, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }));
    const words = content.split(/(?<= )/);
    res.write(chunk({ content: words[0] }));
    if (body.model === 'slow-stream') await new Promise((r) => setTimeout(r, options.pauseMs ?? 300));
    for (const word of words.slice(1)) res.write(chunk({ content: word }));
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
