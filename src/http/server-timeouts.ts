/**
 * Time and connection limits for the servers ftpipe starts, so slow or idle clients cannot hold them:
 * headers must arrive quickly, a whole request within a bound, an idle socket is closed, and the number
 * of open connections is capped (file descriptors are finite).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface ServerTimeouts {
  /** The request line and headers must arrive within this (ms). */
  headersMs: number;
  /** The whole request, body included, must arrive within this (ms). */
  requestMs: number;
  /** A socket with no traffic either way for this long is closed (ms). */
  idleMs: number;
  /** At most this many open connections; more are refused at once. */
  maxConnections: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 15_000, requestMs: 15 * 60_000, idleMs: 60_000, maxConnections: 512 };

/** Options for `http.createServer` (the timeouts Node checks itself). */
export function serverOptions(timeouts: ServerTimeouts) {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: Math.min(5_000, timeouts.idleMs),
    // How often Node checks the two timeouts above; it must be finer than the shortest of them.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(timeouts.headersMs / 4))),
  };
}

export function applyConnectionLimits(server: Server, timeouts: ServerTimeouts): void {
  server.maxConnections = timeouts.maxConnections;
  // Without a 'timeout' listener Node destroys the idle socket itself.
  server.setTimeout(timeouts.idleMs);
}

/** The client closed its connection (a request whose body was read is "destroyed" too: look at the socket). */
export function clientGone(req: IncomingMessage): boolean {
  return !req.socket || req.socket.destroyed;
}

/**
 * Answer, then close the connection instead of reading the rest of a request body nobody will use
 * (a client past the size limit may still be sending). The grace lets the client read the answer first.
 */
export function closeAfterResponse(req: IncomingMessage, res: ServerResponse, graceMs = 1000): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
  res.once('finish', () => {
    if (req.complete) return;
    req.removeAllListeners('data');
    req.pause();
    setTimeout(() => req.socket?.destroy(), graceMs).unref();
  });
}
