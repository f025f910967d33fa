/**
 * A real HTTP proxy in front of the local server that loses responses: the request reaches the
 * server (the job or file IS created), then the client's connection is cut before the answer
 * arrives. This is the failure that turns naive retries into duplicate paid jobs.
 * (The switchable proxy of test/hosted/switch-proxy.ts in its "lose" mode.)
 */
import { startSwitchProxy } from '../hosted/switch-proxy.js';

export async function startLossyProxy(upstreamUrl: string, lose: { route: string; times: number }): Promise<{ url: string; lost: () => number; close(): Promise<void> }> {
  const proxy = await startSwitchProxy(upstreamUrl);
  proxy.set({ kind: 'lose', ...lose });
  return { url: proxy.url, lost: proxy.lost, close: proxy.close };
}
