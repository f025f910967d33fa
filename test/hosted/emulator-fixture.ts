/**
 * A vendor emulator (the local server in one flavour) on a random port with a token, and the ftpipe
 * provider of that vendor pointed at it, as a recipe's provider block would: real HTTP, no mocks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type FaultConfig, type LocalServer } from '../../src/local/server.js';
import type { FlavourOptions } from '../../src/local/routes/flavours.js';
import { createProvider } from '../../src/providers/index.js';
import type { Provider, ProviderConfig } from '../../src/providers/types.js';

export const TOKEN = 'emulator-token';
export const ACCOUNT = 'acme-labs';
export const together8b = 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference';
export const fireworks8b = 'accounts/fireworks/models/llama-v3p1-8b-instruct';

export type HostedKind = 'together' | 'fireworks';

export async function startEmulator(kind: HostedKind, options: FlavourOptions = {}, faults?: FaultConfig): Promise<LocalServer> {
  return startLocalServer({ dataDir: mkdtempSync(join(tmpdir(), `ftpipe-${kind}-emulator-`)), token: TOKEN, flavor: kind, flavorOptions: { account: ACCOUNT, ...options }, faults });
}

/** The provider block a recipe would have for this emulator. */
export function blockFor(kind: HostedKind, url: string, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return kind === 'together' ? { kind, base_url: url, ...extra } : { kind, account: ACCOUNT, base_url: url, ...extra };
}

export const keyEnv = (kind: HostedKind) => (kind === 'together' ? { TOGETHER_API_KEY: TOKEN } : { FIREWORKS_API_KEY: TOKEN });

export async function hostedProvider(kind: HostedKind, url: string, extra: Partial<ProviderConfig> = {}): Promise<Provider> {
  return createProvider(blockFor(kind, url, extra), { workspace: mkdtempSync(join(tmpdir(), 'ftpipe-hosted-ws-')), env: keyEnv(kind) });
}

export const baseModelOf = (kind: HostedKind) => (kind === 'together' ? together8b : fireworks8b);

/** Jobs the emulator holds, through the vendor's own list API. */
export async function remoteJobCount(kind: HostedKind, url: string): Promise<number> {
  const headers = { authorization: `Bearer ${TOKEN}` };
  if (kind === 'together') return ((await (await fetch(`${url}/fine-tunes`, { headers })).json()) as { data: unknown[] }).data.length;
  const list = async (collection: string) => ((await (await fetch(`${url}/v1/accounts/${ACCOUNT}/${collection}`, { headers })).json()) as Record<string, unknown[]>)[collection].length;
  return (await list('supervisedFineTuningJobs')) + (await list('dpoJobs'));
}
