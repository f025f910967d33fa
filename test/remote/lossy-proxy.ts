/**
 * A real HTTP proxy in front of the local server that loses responses: the request reaches the
 * server (the job or file IS created), then the client's connection is cut before the answer
 * arrives. This is the failure that turns naive retries into duplicate paid jobs.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startLossyProxy(upstreamUrl: string, lose: { route: string; times: number }): Promise<{ url: string; lost: () => number; close(): Promise<void> }> {
  const upstream = new URL(upstreamUrl);
  let lost = 0;
  const server: Server = createServer((req, res) => {
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (route === lose.route && lost < lose.times) {
        lost++;
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    lost: () => lost,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
