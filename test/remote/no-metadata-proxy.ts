/**
 * A stand-in for an OpenAI-compatible server that keeps no job metadata (as many gateways and
 * self-hosted trainers): a real HTTP proxy in front of the local server that strips `metadata` from
 * job creates, ignores `metadata[…]` filters when listing, and answers jobs without metadata. It can
 * also lose the answer to the first N creates after the job was made (the connection is cut).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NoMetadataProxy {
  url: string;
  /** Creates whose answers were cut off so far. */
  lost(): number;
  loseCreates(times: number): void;
  close(): Promise<void>;
}

export async function startNoMetadataProxy(upstreamUrl: string, token: string): Promise<NoMetadataProxy> {
  const upstream = new URL(upstreamUrl);
  let toLose = 0;
  let lost = 0;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    for (const key of [...url.searchParams.keys()]) if (key.startsWith('metadata')) url.searchParams.delete(key);
    const isJobs = url.pathname.includes('/fine_tuning/jobs');
    const isCreate = req.method === 'POST' && /\/fine_tuning\/jobs$/.test(url.pathname);
    let body: Buffer = await readBody(req);
    if (isCreate) {
      const { metadata: _dropped, ...rest } = JSON.parse(body.toString());
      body = Buffer.from(JSON.stringify(rest));
    }
    const headers = { ...req.headers, authorization: `Bearer ${token}`, 'content-length': String(body.length) };
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: url.pathname + url.search, headers }, async (answer) => {
      const answerBody = await readBody(answer);
      if (isCreate && lost < toLose) {
        lost++;
        req.socket.destroy(); // the job exists upstream; the client never hears of it
        return;
      }
      const out = isJobs && /json/.test(String(answer.headers['content-type'])) ? Buffer.from(JSON.stringify(withoutMetadata(JSON.parse(answerBody.toString())))) : answerBody;
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(out.length) });
      res.end(out);
    });
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    lost: () => lost,
    loseCreates: (times) => {
      toLose = lost + times;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The same JSON with every job's metadata removed (a job, a create body, or a list of jobs). */
function withoutMetadata(value: any): any {
  if (Array.isArray(value?.data)) return { ...value, data: value.data.map(withoutMetadata) };
  if (value && typeof value === 'object' && 'metadata' in value) return { ...value, metadata: null };
  return value;
}
