import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvider } from '../../src/providers/index.js';
import { armDeployments, armTargetFrom, deploymentName, type ArmTarget } from '../../src/providers/azure-deployments.js';
import { startAzureStandIn } from '../remote/azure-standin.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'ftpipe-providers-'));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('createProvider', () => {
  it('names the known kinds for an unknown one (no prefix matching)', async () => {
    await expect(createProvider({ kind: 'openai-ish' }, { workspace: workspace(), env: {} })).rejects.toMatchObject({
      code: 'PROVIDER_UNKNOWN',
      hint: 'use one of: local, openai, azure, openai-compatible, together, fireworks, trl',
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
  it('deploys once by name, waits for provisioning (Retry-After), and tears down', async () => {
    // The ARM side of the Azure stand-in (its data plane is not called here).
    const arm = await startAzureStandIn({ upstream: 'http://127.0.0.1:9/v1', upstreamToken: '-', apiKey: '-', managementToken: 'mgmt-token', subscription: 'sub', resourceGroup: 'rg', account: 'acct' });
    closers.push(() => arm.close());
    const target: ArmTarget = armTargetFrom({ kind: 'azure', resource: 'acct', subscription_id: 'sub', resource_group: 'rg', management_url: arm.managementUrl }, { AZURE_MANAGEMENT_TOKEN: 'mgmt-token' });
    const hooks = armDeployments(() => target);
    const model = 'ft:gpt-4.1-mini-2025-04-14:org::abc';
    const first = await hooks.deploy(model, {});
    expect(first).toEqual({ name: deploymentName('ftpipe-{model}', model), model });
    expect(first.name).toMatch(/^ftpipe-ft-gpt-4\.1-mini-2025-04-14-org-abc$/);
    expect(arm.deployments.get(first.name)).toEqual({ model, state: 'Succeeded' });
    const again = await hooks.deploy(model, {});
    expect(again).toEqual(first);
    expect(arm.calls).toEqual([`GET ${first.name}`, `PUT ${first.name}`, `GET ${first.name}`, `GET ${first.name}`]);
    await hooks.teardown(first, {});
    expect(arm.deployments.size).toBe(0);
  });

  it('names the ARM error when the management token is refused', async () => {
    const arm = await startAzureStandIn({ upstream: 'http://127.0.0.1:9/v1', upstreamToken: '-', apiKey: '-', managementToken: 'mgmt-token', subscription: 'sub', resourceGroup: 'rg', account: 'acct' });
    closers.push(() => arm.close());
    const hooks = armDeployments(() => armTargetFrom({ kind: 'azure', resource: 'acct', subscription_id: 'sub', resource_group: 'rg', management_url: arm.managementUrl }, { AZURE_MANAGEMENT_TOKEN: 'stale' }));
    await expect(hooks.deploy('ft:gpt-4o-mini:org::x', {})).rejects.toThrow(/401 AuthenticationFailed: Authentication failed/);
  });
});
