/**
 * Reads a JSON request body and hands the core a request that replays the same bytes, so a vendor
 * route can look at the body (which model is asked for) before the core's own handler reads it.
 */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { readJsonBody } from '../../http-io.js';
import type { RequestContext } from '../route-table.js';

export async function peekJsonBody(ctx: RequestContext, rewrite?: (body: Record<string, unknown>) => Record<string, unknown>): Promise<{ body: Record<string, unknown>; ctx: RequestContext }> {
  const body = await readJsonBody(ctx.req, ctx.state.limits.jsonBytes);
  const bytes = Buffer.from(JSON.stringify(rewrite ? rewrite(body) : body));
  const replay = Object.assign(Readable.from([bytes]), { headers: { ...ctx.req.headers, 'content-length': String(bytes.length) }, method: ctx.req.method, url: ctx.req.url, socket: ctx.req.socket });
  return { body, ctx: { ...ctx, req: replay as unknown as IncomingMessage } };
}
