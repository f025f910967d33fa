/**
 * A real HTTP proxy in front of an emulator whose behaviour the test switches while its URL stays the
 * same (the URL is part of the provider's identity, so of every stage key): pass everything through,
 * lose the answer of one route (the request reaches the server, the client's connection is cut), or
 * hold it (the client waits forever; the test kills it).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = { kind: 'pass' } | { kind: 'lose'; route: string; times: number } | { kind: 'hold'; route: string };

export interface SwitchProxy {
  url: string;
  set(mode: ProxyMode): void;
  /** Answers lost so far. */
  lost(): number;
  /** Resolves when a held route's answer has arrived from the server. */
  held(): Promise<void>;
  close(): Promise<void>;
}

export async function startSwitchProxy(upstreamUrl: string): Promise<SwitchProxy> {
  const upstream = new URL(upstreamUrl);
  let mode: ProxyMode = { kind: 'pass' };
  let lost = 0;
  let heldSignal = signal();
  const server: Server = createServer((req, res) => {
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const current = mode;
      if (current.kind === 'lose' && route === current.route && lost < current.times) {
        lost++;
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      if (current.kind === 'hold' && route === current.route) {
        answer.resume();
        answer.on('end', heldSignal.resolve);
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
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    set(next) {
      mode = next;
      lost = 0;
      heldSignal = signal();
    },
    lost: () => lost,
    held: () => heldSignal.promise,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
