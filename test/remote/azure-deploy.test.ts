/**
 * Issue 14 item 6: on Azure a fine-tuned model answers only through a deployment. eval, sweep, infer,
 * `ftpipe infer --provider azure` and the studio playground deploy it idempotently (one PUT for all of
 * them) before calling it, and --max-cost counts the deployment. Against a stand-in of Azure (ARM
 * deployments + the v1 data plane) in front of a real local server that trained the model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';
import { createProvider } from '../../src/providers/index.js';
import { startStudio } from '../../src/studio/server.js';
import { makeProject, type Project } from '../helpers/project.js';
import { startAzureStandIn, type AzureStandIn } from './azure-standin.js';
import { sysPrompt, tempWorkspace, writeTrainingFile } from './local-fixture.js';

let server: LocalServer;
let azure: AzureStandIn;
let fineTuned: string;
const env = { AZURE_OPENAI_API_KEY: 'azure-key', AZURE_MANAGEMENT_TOKEN: 'mgmt-token' };
const target = { subscription: 'sub-1', resourceGroup: 'rg-ml', account: 'acct' };

beforeAll(async () => {
  const dir = tempWorkspace();
  server = await startLocalServer({ dataDir: join(dir, 'state'), token: 'local-token' });
  azure = await startAzureStandIn({ upstream: server.url, upstreamToken: 'local-token', apiKey: env.AZURE_OPENAI_API_KEY, managementToken: env.AZURE_MANAGEMENT_TOKEN, ...target });
  // Train through the Azure data plane (training needs no deployment).
  const trainer = await createProvider(azureBlock(), { workspace: dir, env });
  try {
    const file = await trainer.uploadFile(writeTrainingFile(dir), { purpose: 'fine-tune' });
    let job = await trainer.createJob({ model: 'gpt-4o-mini-2024-07-18', trainingFile: file.id, idempotencyKey: 'azure-deploy-test' });
    while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      await new Promise((r) => setTimeout(r, 100));
      job = await trainer.getJob(job.id);
    }
    expect(job.status).toBe('succeeded');
    fineTuned = job.fineTunedModel!;
  } finally {
    await trainer.close();
  }
});
afterAll(async () => {
  await azure?.close();
  await server?.close();
});

function azureBlock(extra: Record<string, unknown> = {}) {
  return { kind: 'azure', base_url: azure.endpoint, management_url: azure.managementUrl, resource: target.account, subscription_id: target.subscription, resource_group: target.resourceGroup, ...extra };
}

const puts = () => azure.calls.filter((c) => c.startsWith('PUT ')).length;
const chatsTo = (name: string) => azure.calls.filter((c) => c === `chat ${name}`).length;

function azureProject(stages: string, providerExtra = ''): Project {
  return makeProject({
    'data/samples.jsonl': ['mod_jk child workerEnv in error state 6', 'workerEnv.init() ok /etc/httpd/conf/workers2.properties']
      .map((line, i) => JSON.stringify({ input: [{ role: 'system', content: sysPrompt }, { role: 'user', content: line }], ideal: i === 0 ? 'error' : 'notice' }))
      .join('\n') + '\n',
    'pipelines/az.yaml': `name: az
provider: { kind: azure, base_url: '${azure.endpoint}', management_url: '${azure.managementUrl}', resource: ${target.account}, subscription_id: ${target.subscription}, resource_group: ${target.resourceGroup}${providerExtra} }
stages:
${stages}`,
  });
}

const evalStages = () => `  eval:
    uses: eval
    with: { samples: data/samples.jsonl, models: [{ id: '${fineTuned}', label: fine-tuned }], max_tokens: 5 }
  sweep:
    uses: sweep
    with: { samples: data/samples.jsonl, models: ['${fineTuned}'], matrix: { temperature: [0, 0.5] }, max_tokens: 5 }
  infer:
    uses: infer
    with: { model: '${fineTuned}', sys_prompt: '${sysPrompt}', user_input: 'mod_jk child workerEnv in error state 6', max_tokens: 5 }
`;

describe('Azure: every caller of a fine-tuned model deploys it first', () => {
  it('eval, sweep and infer deploy once (idempotent) and call the deployment', async () => {
    const p = azureProject(evalStages());
    const run = await p.run(['run', 'pipelines/az.yaml'], { env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [name] = [...azure.deployments.keys()];
    expect(azure.deployments.get(name)).toEqual({ model: fineTuned, state: 'Succeeded' });
    expect(puts()).toBe(1);
    expect(chatsTo(fineTuned)).toBe(0); // never the bare model id
    // eval: 2 samples; sweep: its temperature-0 cell is eval's requests again (response cache), the 0.5 cell 2 more; infer: 1.
    expect(chatsTo(name)).toBe(2 + 2 + 1);
    expect(run.stdout).toMatch(/✓ eval ran/);
    expect(run.stdout).toMatch(/✓ sweep ran/);
    expect(run.stdout).toContain(`deployment ${name} serves ${fineTuned}`);
  });

  it('ftpipe infer --provider azure takes the resource, subscription and resource group, and deploys', async () => {
    const p = makeProject({});
    const args = ['infer', '--provider', 'azure', '--base-url', azure.endpoint, '--management-url', azure.managementUrl, '--resource', target.account, '--subscription', target.subscription, '--resource-group', target.resourceGroup];
    const run = await p.run([...args, '--model', fineTuned, '--sys-prompt', sysPrompt, '--user-input', 'mod_jk child workerEnv in error state 6', '--max-tokens', '5'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('error');
    expect(puts()).toBe(1); // the deployment of the first test is reused
  });

  it('the studio playground answers with the fine-tuned model through its deployment', async () => {
    const p = azureProject('  infer:\n    uses: infer\n    with: { model: base, user_input: hi }\n');
    const studio = await startStudio({ workspace: p.root, recipe: join(p.root, 'pipelines/az.yaml'), port: 0, env });
    try {
      const before = azure.calls.length;
      const response = await fetch(new URL('/api/chat', studio.origin), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${studio.token}` },
        body: JSON.stringify({ model: fineTuned, messages: [{ role: 'system', content: sysPrompt }, { role: 'user', content: 'workerEnv.init() ok /etc/httpd/conf/workers2.properties' }], max_tokens: 5 }),
      });
      const body = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body.content.trim()).toBe('notice');
      expect(azure.calls.slice(before)).toEqual([expect.stringMatching(/^GET /), expect.stringMatching(/^chat ftpipe-/)]);
    } finally {
      await studio.close();
    }
  });

  it('--max-cost counts the deployment: refused while its hosting price is unknown or too high', async () => {
    const unknown = azureProject(evalStages().split('  sweep:')[0]);
    const refused = await unknown.run(['run', 'pipelines/az.yaml', '--max-cost', '5'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/stage "eval": cannot estimate what it pays for \(deploys ft:\S+ on azure .*\[MAX_COST_UNKNOWN\]/);
    expect(refused.stderr).toContain('deployment_hourly_usd');

    const priced = azureProject(evalStages().split('  sweep:')[0], ', deployment_hourly_usd: 1.7');
    const plan = await priced.run(['plan', 'pipelines/az.yaml', '--json'], { env });
    expect(JSON.parse(plan.stdout).spend).toContainEqual(expect.objectContaining({ stage: 'eval', action: 'deployment', model: fineTuned, costUsd: 1.7 }));
    const over = await priced.run(['run', 'pipelines/az.yaml', '--max-cost', '1'], { env });
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/would cost about \$1\.70 .*above --max-cost 1 \[MAX_COST_EXCEEDED\]/);
    const within = await priced.run(['run', 'pipelines/az.yaml', '--max-cost', '5'], { env });
    expect(within.code, within.stdout + within.stderr).toBe(0);
  });
});
