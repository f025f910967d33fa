/**
 * Raw HTTP over a TCP socket, for probing servers with requests no well-behaved client sends: cut-short
 * bodies, chunked floods, foreign Host headers, idle connections.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  json: any;
  /** Bytes of the request the client managed to send. */
  sent: number;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as is after the headers. */
  body?: string | Buffer;
  /** Keep sending this chunk (chunked encoding) until the server answers or closes, at most `maxBytes`. */
  flood?: { chunk: Buffer; maxBytes: number };
  /** Destroy the socket after sending this many body bytes (a client that goes away mid-upload). */
  disconnectAfter?: number;
}

export function hostOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

export function rawRequest(url: string, request: RawRequest): Promise<RawResponse> {
  const { host, port } = hostOf(url);
  const headers: Record<string, string> = { host: `${new URL(url).host}`, connection: 'close', ...request.headers };
  if (request.flood) headers['transfer-encoding'] = 'chunked';
  else if (request.body !== undefined && !('content-length' in headers) && request.disconnectAfter === undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    let sent = 0;
    let answered = false;
    socket.on('error', () => {});
    socket.on('data', (data: Buffer) => {
      answered = true;
      chunks.push(data);
    });
    socket.on('close', () => resolve(parse(Buffer.concat(chunks).toString('utf8'), sent)));
    socket.on('connect', async () => {
      socket.write(head);
      const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
      if (request.disconnectAfter !== undefined) {
        socket.write(body.subarray(0, request.disconnectAfter), () => setTimeout(() => socket.destroy(), 50));
        sent = Math.min(body.length, request.disconnectAfter);
        return;
      }
      if (request.flood) return flood(socket, request.flood, () => answered, (n) => (sent += n));
      socket.write(body);
      sent = body.length;
    });
  });
}

async function flood(socket: Socket, options: { chunk: Buffer; maxBytes: number }, answered: () => boolean, count: (n: number) => void): Promise<void> {
  const frame = Buffer.concat([Buffer.from(`${options.chunk.length.toString(16)}\r\n`), options.chunk, Buffer.from('\r\n')]);
  let total = 0;
  while (!answered() && !socket.destroyed && total < options.maxBytes) {
    const ok = socket.write(frame);
    total += options.chunk.length;
    count(options.chunk.length);
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }
  if (!socket.destroyed && !answered()) socket.write('0\r\n\r\n');
}

function parse(text: string, sent: number): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/') || end === -1) return { status: 0, headers: {}, body: text, json: undefined, sent };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body, json, sent };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, nl), 16);
    if (!size) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 4 + size);
  }
}

/** Open `count` connections that send nothing; resolves once all are connected. */
export async function idleConnections(url: string, count: number): Promise<Socket[]> {
  const { host, port } = hostOf(url);
  return Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, host, () => resolve(socket));
      socket.on('error', reject);
    })),
  );
}

/** A multipart body with a "purpose" field and one file part. */
export function multipartBody(boundary: string, file: { name: string; content: string }, options: { close?: boolean } = {}): string {
  const parts = [
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nfine-tune\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n${file.content}\r\n`,
  ];
  return parts.join('') + (options.close === false ? '' : `--${boundary}--\r\n`);
}
