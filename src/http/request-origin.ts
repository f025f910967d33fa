/**
 * Who may talk to a server ftpipe starts, shared by `ftpipe serve` and `ftpipe studio`: the Host header
 * must name the address the server listens on (DNS rebinding), and a browser request must come from the
 * server's own origin or one the user allowed (any web page the user visits could otherwise post to it).
 */
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

export interface OriginPolicy {
  /**
   * Accepted Host names ("127.0.0.1", "localhost", …), on any port: a rebinding page's requests carry its
   * own domain, and a local reverse proxy may forward its own port.
   */
  hosts: Set<string>;
  /** Accepted Origin header values ("http://localhost:3000"); the server's own origins are always accepted. */
  origins: Set<string>;
}

export type OriginRefusal = { status: 403; reason: 'host' | 'origin'; message: string };

/** Loopback names and addresses: 127.0.0.0/8, ::1, localhost (and its IPv4-mapped forms). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The Host values a server bound to `bindHost:port` answers to, plus names the user added. */
export function originPolicy(options: { bindHost: string; port: number; allowHosts?: string[]; allowOrigins?: string[] }): OriginPolicy {
  const names = new Set<string>(['localhost', '127.0.0.1', '[::1]', bracket(options.bindHost)]);
  if (isWildcardHost(options.bindHost)) {
    // Bound to every interface: every address of this machine, and its name, are its own.
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const address of list ?? []) names.add(bracket(address.address));
  }
  for (const extra of options.allowHosts ?? []) names.add(extra.toLowerCase());
  // The server's own pages come from its own port (another port is another site).
  const origins = new Set<string>([...names].flatMap((name) => [`http://${name}:${options.port}`, ...(options.port === 80 ? [`http://${name}`] : [])]));
  for (const origin of options.allowOrigins ?? []) origins.add(origin.replace(/\/+$/, '').toLowerCase());
  return { hosts: names, origins };
}

/** Why a request is refused, or null when its Host and Origin are acceptable. */
export function checkRequestOrigin(headers: Record<string, string | string[] | undefined>, policy: OriginPolicy): OriginRefusal | null {
  const host = String(headers.host ?? '').toLowerCase();
  if (!policy.hosts.has(host.replace(/:\d+$/, ''))) {
    return { status: 403, reason: 'host', message: `Unexpected Host header "${headers.host ?? ''}": this server only answers requests addressed to the address it listens on.` };
  }
  const origin = headers.origin;
  if (origin !== undefined && !policy.origins.has(String(origin).toLowerCase())) {
    return { status: 403, reason: 'origin', message: `Cross-origin request from "${origin}" refused: web pages may not call this server.` };
  }
  // A browser that omits Origin still says where a request comes from (GET navigations, images, scripts).
  const site = headers['sec-fetch-site'];
  if (origin === undefined && (site === 'cross-site' || site === 'same-site')) {
    return { status: 403, reason: 'origin', message: `Cross-origin request (${site}) refused: web pages may not call this server.` };
  }
  return null;
}

function bracket(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}
