/**
 * The Azure flavour's management plane: ARM deployments of the account's models
 * (PUT/GET/DELETE …/Microsoft.CognitiveServices/accounts/<a>/deployments/<name>?api-version=…), so the
 * azure provider's deploy/teardown run against the emulator (provider.management_url). A deployment of a
 * fine-tuned model answers chat under the deployment's name once it has Succeeded (about 100 ms here).
 */
import { readJsonBody, sendJson } from '../../http-io.js';
import { ApiError } from '../../api-error.js';
import { VendorRecords } from '../vendor/vendor-records.js';
import { publishAlias, withdrawAlias } from '../vendor/model-aliases.js';
import { findModel } from '../models.js';
import type { RequestContext, Route, ServerState } from '../route-table.js';

const PROVISION_MS = 100;
const path = '/subscriptions/:subscription/resourceGroups/:group/providers/Microsoft.CognitiveServices/accounts/:account/deployments/:name';

interface ArmDeployment {
  id: string;
  name: string;
  model: string;
  sku: { name: string; capacity: number };
  state: 'Creating' | 'Succeeded' | 'Failed';
  createdMs: number;
}

export function armDeploymentRoutes(context: { dataDir: string }): Route[] {
  const deployments = new VendorRecords<ArmDeployment>(context.dataDir, 'azure', 'deployments');
  const refresh = async (state: ServerState, d: ArmDeployment) => {
    if (d.state !== 'Creating' || Date.now() - d.createdMs < PROVISION_MS) return d;
    // A base model answers as itself; a fine-tune under the deployment's name.
    d.state = state.models.has(d.model) ? ((await publishAlias(state, d.model, d.name)) ? 'Succeeded' : 'Failed') : 'Succeeded';
    return deployments.save(d.id, d);
  };
  const armError = (status: number, code: string, message: string) => new ApiError(status, message, { code });
  const apiVersion = ({ url }: RequestContext) => {
    if (!url.searchParams.get('api-version')) throw armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  };

  return [
    {
      method: 'PUT',
      pattern: path,
      async handle(ctx) {
        apiVersion(ctx);
        const body = await readJsonBody(ctx.req, ctx.state.limits.jsonBytes);
        const model = (body.properties as { model?: { name?: unknown } } | undefined)?.model?.name;
        if (typeof model !== 'string' || !findModel(ctx.state.models, model)) throw armError(400, 'InvalidResourceProperties', `The specified model ${JSON.stringify(model)} is not supported or does not exist in this account.`);
        const sku = (body.sku ?? { name: 'standard', capacity: 1 }) as ArmDeployment['sku'];
        const id = ctx.url.pathname;
        const existing = deployments.get(id);
        if (existing && existing.model !== model) await withdrawAlias(ctx.state, existing.name);
        const d = await deployments.save(id, { id, name: ctx.params.name, model, sku, state: 'Creating', createdMs: Date.now() });
        sendJson(ctx.res, existing ? 200 : 201, view(d));
      },
    },
    {
      method: 'GET',
      pattern: path,
      async handle(ctx) {
        apiVersion(ctx);
        const d = deployments.get(ctx.url.pathname);
        if (!d) throw armError(404, 'DeploymentNotFound', `Deployment ${ctx.params.name} not found.`);
        sendJson(ctx.res, 200, view(await refresh(ctx.state, d)));
      },
    },
    {
      method: 'DELETE',
      pattern: path,
      async handle(ctx) {
        apiVersion(ctx);
        const d = deployments.get(ctx.url.pathname);
        if (d) {
          await withdrawAlias(ctx.state, d.name);
          await deployments.delete(d.id);
        }
        ctx.res.writeHead(d ? 200 : 204, { 'content-length': 0 });
        ctx.res.end();
      },
    },
  ];
}

function view(d: ArmDeployment) {
  return { id: d.id, name: d.name, type: 'Microsoft.CognitiveServices/accounts/deployments', sku: d.sku, properties: { provisioningState: d.state, model: { format: 'OpenAI', name: d.model, version: '1' } } };
}
