/**
 * Fireworks datasets: create (client-chosen datasetId; a second create is ALREADY_EXISTS), upload in
 * one request (`:upload`, multipart, up to 150 MB) or through a signed URL (`:getUploadEndpoint`, PUT,
 * `:validateUpload`), list (pageSize/pageToken), get, delete. An upload is checked line by line; a
 * bad line is refused with its number and the dataset stays UPLOADING.
 */
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { readJsonBody, sendJson } from '../../http-io.js';
import { receiveMultipartFile } from '../vendor/multipart-file.js';
import { checkTrainingLines } from '../vendor/training-lines.js';
import type { RequestContext, Route, ServerState } from '../route-table.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './fireworks-errors.js';
import type { FireworksDataset, FireworksState } from './fireworks-state.js';
import { checkResourceId } from './ids.js';
import { page } from './paging.js';

const SINGLE_REQUEST_LIMIT = 150 * 1024 * 1024;

export function datasetRoutes(fw: FireworksState): Route[] {
  /** Signed upload URLs handed out by :getUploadEndpoint: token → dataset and the temp file PUT there. */
  const signed = new Map<string, { dataset: string; temp?: string }>();

  const datasetOr404 = (ctx: RequestContext, id = ctx.params.dataset) => {
    fw.checkAccount(ctx.params.account);
    const dataset = fw.datasets.get(id);
    if (!dataset) throw notFound(`dataset "${fw.resource('datasets', id)}" not found`);
    return dataset;
  };

  const accept = async (state: ServerState, dataset: FireworksDataset, temp: string) => {
    const check = await checkTrainingLines(temp);
    if (check.error) {
      await rm(temp, { force: true });
      dataset.status = { code: 'INVALID_ARGUMENT', message: `line ${check.error.line}: ${check.error.message}` };
      await fw.datasets.save(dataset.id, dataset);
      throw invalidArgument(`invalid dataset ${fw.resource('datasets', dataset.id)}: line ${check.error.line}: ${check.error.message}`);
    }
    const file = await state.files.adopt(temp, { filename: `${dataset.id}.jsonl`, purpose: 'fine-tune' });
    Object.assign(dataset, { state: 'READY', status: { code: 'OK', message: '' }, coreFileId: file.id, exampleCount: String(check.lines), format: 'CHAT', preference: check.format === 'preference' });
    await fw.datasets.save(dataset.id, dataset);
  };

  return [
    {
      method: 'POST',
      pattern: '/v1/accounts/:account/datasets',
      async handle({ req, res, params, state }) {
        fw.checkAccount(params.account);
        const body = await readJsonBody(req, state.limits.jsonBytes);
        const id = checkResourceId(body.datasetId, 'dataset');
        if (fw.datasets.has(id)) throw alreadyExists(`dataset "${fw.resource('datasets', id)}" already exists`);
        const spec = (body.dataset ?? {}) as { displayName?: unknown; exampleCount?: unknown };
        const dataset: FireworksDataset = { id, displayName: typeof spec.displayName === 'string' ? spec.displayName : id, state: 'UPLOADING', status: { code: 'OK', message: '' }, exampleCount: typeof spec.exampleCount === 'string' ? spec.exampleCount : '0', format: 'FORMAT_UNSPECIFIED', createTime: new Date().toISOString(), coreFileId: null, preference: false };
        await fw.datasets.save(id, dataset);
        sendJson(res, 200, view(fw, dataset));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:account/datasets',
      async handle({ res, params, url }) {
        fw.checkAccount(params.account);
        const { items, nextPageToken } = page(fw.datasets.list(), url);
        sendJson(res, 200, { datasets: items.map((d) => view(fw, d)), nextPageToken, totalSize: fw.datasets.list().length });
      },
    },
    { method: 'GET', pattern: '/v1/accounts/:account/datasets/:dataset', handle: async (ctx) => sendJson(ctx.res, 200, view(fw, datasetOr404(ctx))) },
    {
      method: 'DELETE',
      pattern: '/v1/accounts/:account/datasets/:dataset',
      async handle(ctx) {
        const dataset = datasetOr404(ctx);
        if (dataset.coreFileId) await ctx.state.files.delete(dataset.coreFileId);
        await fw.datasets.delete(dataset.id);
        sendJson(ctx.res, 200, {});
      },
    },
    {
      // "<id>:upload", "<id>:getUploadEndpoint", "<id>:validateUpload": custom methods on one resource.
      method: 'POST',
      pattern: '/v1/accounts/:account/datasets/:datasetMethod',
      async handle(ctx) {
        const [id, verb] = ctx.params.datasetMethod.split(':');
        const dataset = datasetOr404(ctx, id);
        if (verb === 'upload') {
          if (dataset.state === 'READY') throw failedPrecondition(`dataset "${fw.resource('datasets', id)}" is already uploaded`);
          const received = await receiveMultipartFile(ctx);
          if ((await stat(received.temp)).size > SINGLE_REQUEST_LIMIT) {
            await rm(received.temp, { force: true });
            throw invalidArgument('files over 150 MB cannot be uploaded in one request: use :getUploadEndpoint');
          }
          await accept(ctx.state, dataset, received.temp);
          sendJson(ctx.res, 200, { id, object: 'file', bytes: ctx.state.files.get(dataset.coreFileId!)!.bytes, created_at: Math.floor(Date.now() / 1000), filename: received.filename, purpose: 'fine-tune' });
        } else if (verb === 'getUploadEndpoint') {
          const body = await readJsonBody(ctx.req, ctx.state.limits.jsonBytes);
          const sizes = (body.filenameToSize ?? {}) as Record<string, unknown>;
          const names = Object.keys(sizes);
          if (names.length !== 1) throw invalidArgument('filenameToSize must name exactly one file');
          const token = randomUUID();
          signed.set(token, { dataset: id });
          sendJson(ctx.res, 200, { filenameToSignedUrls: { [names[0]]: `http://${ctx.req.headers.host}/emulator-signed-upload/${token}` } });
        } else if (verb === 'validateUpload') {
          const entry = [...signed.entries()].find(([, s]) => s.dataset === id && s.temp);
          if (!entry) throw failedPrecondition(`nothing was uploaded to the signed URL of dataset "${fw.resource('datasets', id)}"`);
          signed.delete(entry[0]);
          await accept(ctx.state, dataset, entry[1].temp!);
          sendJson(ctx.res, 200, {});
        } else {
          throw notFound(`unknown method ${JSON.stringify(verb)} on datasets (expected upload, getUploadEndpoint, validateUpload)`);
        }
      },
    },
    {
      // The signed URL :getUploadEndpoint hands out (a cloud bucket on Fireworks); checked at :validateUpload.
      method: 'PUT',
      pattern: '/emulator-signed-upload/:token',
      async handle({ req, res, params, state }) {
        const target = signed.get(params.token);
        if (!target) throw notFound('the signed upload URL is unknown or was already used');
        const temp = state.files.tempPath();
        await pipeline(req, createWriteStream(temp));
        if (target.temp) await rm(target.temp, { force: true });
        target.temp = temp;
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      },
    },
  ];
}

function view(fw: FireworksState, d: FireworksDataset) {
  return { name: fw.resource('datasets', d.id), displayName: d.displayName, createTime: d.createTime, state: d.state, status: d.status, exampleCount: d.exampleCount, userUploaded: {}, format: d.format };
}
