import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createProvider } from '../../src/providers/index.js';
import { armDeployments, armTargetFrom, deploymentName, type ArmTarget } from '../../src/providers/azure-deployments.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'ftpipe-providers-'));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('createProvider', () => {
  it('names the known kinds for an unknown one (no prefix matching)', async () => {
    await expect(createProvider({ kind: 'openai-ish' }, { workspace: workspace(), env: {} })).rejects.toMatchObject({
      code: 'PROVIDER_UNKNOWN',
      hint: 'use one of: local, openai, azure, openai-compatible, together, fireworks',
    });
    await expect(createProvider({ kind: 'toString' }, { workspace: workspace(), env: {} })).rejects.toMatchObject({ code: 'PROVIDER_UNKNOWN' });
  });

  it('says which variable to set when the key is missing', async () => {
    await expect(createProvider({ kind: 'openai' }, { workspace: workspace(), env: {} })).rejects.toMatchObject({ code: 'PROVIDER_KEY_MISSING', message: expect.stringContaining('OPENAI_API_KEY') });
    await expect(createProvider({ kind: 'azure', resource: 'acct' }, { workspace: workspace(), env: {} })).rejects.toThrow(/AZURE_OPENAI_API_KEY/);
    await expect(createProvider({ kind: 'openai-compatible', base_url: 'http://h/v1', api_key_env: 'MY_KEY' }, { workspace: workspace(), env: {} })).rejects.toThrow(/MY_KEY/);
    await expect(createProvider({ kind: 'openai-compatible' }, { workspace: workspace(), env: {} })).rejects.toThrow(/needs base_url/);
  });

  it('reads the key from the workspace .env; the identity never holds it', async () => {
    const ws = workspace();
    writeFileSync(join(ws, '.env'), 'OPENAI_API_KEY=sk-from-dotenv-123\n');
    const provider = await createProvider({ kind: 'openai', organization: 'org-1', project: 'proj-1' }, { workspace: ws, env: {} });
    expect(provider.identity).toEqual({ kind: 'openai', baseUrl: 'https://api.openai.com/v1', organization: 'org-1', project: 'proj-1' });
    expect(JSON.stringify(provider.identity)).not.toContain('sk-');
    expect(provider.capabilities.needsDeployment).toBe(false);
  });

  it('azure uses the v1 endpoint of the resource and needs deployments', async () => {
    const provider = await createProvider({ kind: 'azure', resource: 'acct' }, { workspace: workspace(), env: { AZURE_OPENAI_API_KEY: 'k' } });
    expect(provider.identity).toEqual({ kind: 'azure', baseUrl: 'https://acct.openai.azure.com/openai/v1/' });
    expect(provider.capabilities.needsDeployment).toBe(true);
    // Training needs no management token; deploying does, and says what to set.
    await expect(provider.deploy('ft:gpt-4.1-mini:org::x')).rejects.toThrow(/provider.subscription_id .*AZURE_MANAGEMENT_TOKEN/);
  });
});

describe('Azure deployments (ARM)', () => {
  it('deploys once by name, waits for provisioning, and tears down', async () => {
    const deployments = new Map<string, { model: string; polls: number }>();
    const methods: string[] = [];
    const server = createServer((req, res) => {
      const name = decodeURIComponent(/deployments\/([^?]+)/.exec(req.url ?? '')?.[1] ?? '');
      methods.push(req.method!);
      if (req.headers.authorization !== 'Bearer mgmt-token') return void res.writeHead(401).end('{"error":{"code":"AuthenticationFailed","message":"no"}}');
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.method === 'PUT') deployments.set(name, { model: JSON.parse(body).properties.model.name, polls: 0 });
        if (req.method === 'DELETE') deployments.delete(name);
        const now = deployments.get(name);
        if (!now) return void res.writeHead(req.method === 'DELETE' ? 200 : 404).end(req.method === 'DELETE' ? '' : '{"error":{"code":"NotFound","message":"none"}}');
        const state = now.polls++ < 1 ? 'Creating' : 'Succeeded';
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, properties: { provisioningState: state, model: { format: 'OpenAI', name: now.model, version: '1' } } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const target: ArmTarget = {
      ...armTargetFrom({ kind: 'azure', resource: 'acct', subscription_id: 'sub', resource_group: 'rg' }, { AZURE_MANAGEMENT_TOKEN: 'mgmt-token' }),
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      pollMs: 10,
    };
    const arm = armDeployments(() => target);
    const model = 'ft:gpt-4.1-mini-2025-04-14:org::abc';
    const first = await arm.deploy(model, {});
    expect(first).toEqual({ name: deploymentName('ftpipe-{model}', model), model });
    expect(first.name).toMatch(/^ftpipe-ft-gpt-4\.1-mini-2025-04-14-org-abc$/);
    const again = await arm.deploy(model, {});
    expect(again).toEqual(first);
    expect(methods.filter((m) => m === 'PUT')).toHaveLength(1);
    await arm.teardown(first, {});
    expect(deployments.size).toBe(0);
  });
});
