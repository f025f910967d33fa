/**
 * A stand-in for Azure OpenAI, over real HTTP, following Azure's documented shapes:
 * - ARM deployments (management plane): PUT / GET / DELETE
 *   /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{account}/deployments/{name}?api-version=…
 *   with a bearer management token; PUT answers 201 with provisioningState "Creating" and Retry-After,
 *   the next GET "Succeeded"; errors as {error: {code, message}} (DeploymentNotFound, AuthenticationFailed).
 *   https://learn.microsoft.com/rest/api/aiservices/accountmanagement/deployments
 * - the v1 data plane (/openai/v1/…, key in the `api-key` header), forwarded to the local server; a chat
 *   completion's `model` must name a deployment that has succeeded — calling a model id directly is a
 *   404 DeploymentNotFound, as on Azure.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AzureStandIn {
  /** The ARM endpoint (provider.management_url). */
  managementUrl: string;
  /** The resource's v1 endpoint (provider.base_url). */
  endpoint: string;
  deployments: Map<string, { model: string; state: 'Creating' | 'Succeeded' }>;
  /** "PUT <name>", "GET <name>", "DELETE <name>", "chat <model as sent>" in arrival order. */
  calls: string[];
  close(): Promise<void>;
}

export interface StandInOptions {
  upstream: string;
  upstreamToken: string;
  apiKey: string;
  managementToken: string;
  subscription: string;
  resourceGroup: string;
  account: string;
}

export async function startAzureStandIn(options: StandInOptions): Promise<AzureStandIn> {
  const deployments: AzureStandIn['deployments'] = new Map();
  const calls: string[] = [];
  const armPath = `/subscriptions/${options.subscription}/resourceGroups/${options.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${options.account}/deployments/`;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    if (url.pathname.startsWith('/subscriptions/')) return arm(req, res, url, body);
    if (url.pathname.startsWith('/openai/v1/')) return dataPlane(req, res, url, body);
    send(res, 404, { error: { code: 'NotFound', message: `no route ${url.pathname}` } });
  });

  function arm(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    if (req.headers.authorization !== `Bearer ${options.managementToken}`) return send(res, 401, { error: { code: 'AuthenticationFailed', message: 'Authentication failed. The Authorization header is missing or invalid.' } });
    if (!url.searchParams.get('api-version')) return send(res, 400, { error: { code: 'MissingApiVersionParameter', message: "The api-version query parameter (?api-version=) is required for all requests." } });
    if (!url.pathname.startsWith(armPath)) return send(res, 404, { error: { code: 'ResourceNotFound', message: `The Resource '${url.pathname}' was not found.` } });
    const name = decodeURIComponent(url.pathname.slice(armPath.length));
    calls.push(`${req.method} ${name}`);
    const current = deployments.get(name);
    const resource = (d: { model: string; state: string }) => ({
      id: `${armPath}${name}`,
      name,
      type: 'Microsoft.CognitiveServices/accounts/deployments',
      sku: { name: 'standard', capacity: 1 },
      properties: { model: { format: 'OpenAI', name: d.model, version: '1' }, provisioningState: d.state },
    });
    if (req.method === 'PUT') {
      const spec = JSON.parse(body.toString() || '{}');
      const model = spec?.properties?.model?.name;
      if (typeof model !== 'string' || spec?.properties?.model?.format !== 'OpenAI' || typeof spec?.sku?.name !== 'string') {
        return send(res, 400, { error: { code: 'InvalidResourceProperties', message: 'properties.model {format, name, version} and sku {name, capacity} are required.' } });
      }
      const next = { model, state: 'Creating' as const };
      deployments.set(name, next);
      return send(res, current ? 200 : 201, resource(next), { 'retry-after': '1' });
    }
    if (!current) {
      if (req.method === 'DELETE') return void res.writeHead(204).end();
      return send(res, 404, { error: { code: 'DeploymentNotFound', message: `The deployment '${name}' does not exist.` } });
    }
    if (req.method === 'DELETE') {
      deployments.delete(name);
      return void res.writeHead(200).end();
    }
    current.state = 'Succeeded'; // provisioning ends by the first poll after the PUT
    return send(res, 200, resource(current));
  }

  function dataPlane(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    if (req.headers['api-key'] !== options.apiKey) return send(res, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } });
    let forwarded = body;
    if (req.method === 'POST' && url.pathname === '/openai/v1/chat/completions') {
      const chat = JSON.parse(body.toString());
      calls.push(`chat ${chat.model}`);
      const deployment = deployments.get(chat.model);
      if (!deployment || deployment.state !== 'Succeeded') {
        return send(res, 404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' } });
      }
      forwarded = Buffer.from(JSON.stringify({ ...chat, model: deployment.model }));
    }
    const upstream = new URL(options.upstream);
    const path = upstream.pathname.replace(/\/$/, '') + url.pathname.slice('/openai/v1'.length) + url.search;
    const headers = { ...req.headers, host: upstream.host, authorization: `Bearer ${options.upstreamToken}`, 'content-length': String(forwarded.length) };
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    forward.end(forwarded);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    managementUrl: root,
    endpoint: `${root}/openai/v1/`,
    deployments,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
