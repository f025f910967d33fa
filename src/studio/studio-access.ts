/**
 * Who may use the studio: the browser that opened the URL it printed (`?token=…`, kept as a cookie
 * after the first visit and dropped from the address bar) or a script sending the token as a bearer
 * token; the Host must be the address it listens on (DNS rebinding), and every write must come from the
 * studio's own pages (Origin), so no other web page and no other user's process can read or change files.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, tokenMatches } from '../http/bearer-token.js';
import { checkRequestOrigin, type OriginPolicy } from '../http/request-origin.js';
import { FtpipeError } from '../errors.js';

export interface StudioAccess {
  policy: OriginPolicy;
  token: string;
  cookieName: string;
}

/** What to do with a request: go on, or it was answered here (a redirect after the first visit). */
export type AccessDecision = 'allow' | 'answered';

export function checkAccess(access: StudioAccess, req: IncomingMessage, res: ServerResponse, url: URL): AccessDecision {
  const refusal = checkRequestOrigin(req.headers, access.policy);
  if (refusal) throw new FtpipeError(refusal.message, refusal.reason === 'host' ? 'STUDIO_BAD_HOST' : 'STUDIO_CROSS_ORIGIN');
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
    if (!tokenMatches(fromUrl, access.token)) throw tokenError('the token in this URL is not this studio\'s (it changes every start)');
    // Keep it as a cookie for this studio only, and drop it from the address bar (and history).
    url.searchParams.delete('token');
    res.writeHead(303, {
      location: url.pathname + url.search,
      'set-cookie': `${access.cookieName}=${access.token}; Path=/; HttpOnly; SameSite=Strict`,
      'cache-control': 'no-store',
    });
    res.end();
    return 'answered';
  }
  const bearer = bearerToken(req.headers.authorization);
  const cookie = cookieValue(req.headers.cookie, access.cookieName);
  if (bearer && tokenMatches(bearer, access.token)) return 'allow';
  if (!cookie || !tokenMatches(cookie, access.token)) throw tokenError('open the URL that `ftpipe studio` printed (it carries the token)');
  // A cookie travels with any request the browser makes: a write must also come from the studio's page.
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers.origin === undefined) {
    throw new FtpipeError('writes must come from the studio\'s own page (no Origin header)', 'STUDIO_CROSS_ORIGIN');
  }
  return 'allow';
}

/** The page a browser without the token sees, instead of a JSON error. */
export function tokenPage(message: string): string {
  return `<!doctype html><meta charset="utf-8"><title>ftpipe studio</title><body style="font-family: system-ui; margin: 3em"><h1>ftpipe studio</h1><p>${escapeHtml(message)}.</p><p>The URL looks like <code>http://127.0.0.1:4321/?token=…</code>; the token changes every time the studio starts (or choose one with <code>--token-env</code>).</p></body>`;
}

function tokenError(message: string): FtpipeError {
  return new FtpipeError(`this studio needs its token: ${message}`, 'STUDIO_TOKEN', { hint: 'open the URL that `ftpipe studio` printed' });
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
