/** /v1/files: multipart uploads streamed to disk (busboy), listing, retrieval, content and deletion. */
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { invalidRequest, isStorageError, notFound, storageError } from '../api-error.js';
import { paginate, parseLimit, sendJson } from '../http-io.js';
import { receiveUpload } from '../multipart-upload.js';
import { FILE_PURPOSES, type FileObject, type FilePurpose } from '../state/file-store.js';
import type { RequestContext, Route } from './route-table.js';

export const fileRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/files', handle: uploadFile },
  { method: 'GET', pattern: '/v1/files', handle: listFiles },
  { method: 'GET', pattern: '/v1/files/:id', handle: async (ctx) => sendJson(ctx.res, 200, fileOr404(ctx)) },
  { method: 'GET', pattern: '/v1/files/:id/content', handle: fileContent },
  { method: 'DELETE', pattern: '/v1/files/:id', handle: deleteFile },
];

async function uploadFile({ req, res, state }: RequestContext): Promise<void> {
  const { fields, file } = await receiveUpload(req, { limit: state.limits.fileBytes, tempPath: () => state.files.tempPath() });
  try {
    if (!file) throw invalidRequest("Missing required parameter: 'file'.", 'file');
    const purpose = fields.purpose;
    if (!purpose) throw invalidRequest("Missing required parameter: 'purpose'.", 'purpose');
    if (!FILE_PURPOSES.includes(purpose as FilePurpose)) throw invalidRequest(`Invalid value for 'purpose': ${purpose}.`, 'purpose');
    const stored = await state.files.adopt(file.temp, { filename: file.filename, purpose: purpose as FilePurpose }).catch((error) => {
      throw isStorageError(error) ? storageError(error, 'the upload') : error;
    });
    sendJson(res, 200, stored);
  } finally {
    if (file) await rm(file.temp, { force: true });
  }
}

async function listFiles({ res, url, state }: RequestContext): Promise<void> {
  const purpose = url.searchParams.get('purpose') ?? undefined;
  const order = url.searchParams.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest(`Invalid order: ${order} (asc or desc).`, 'order');
  const all = state.files.list(purpose);
  if (order === 'asc') all.reverse();
  const page = paginate(all, url.searchParams.get('after') ?? undefined, parseLimit(url.searchParams.get('limit') ?? undefined, 10_000, 10_000));
  // OpenAI sends null ids for an empty page (its published schema says string).
  sendJson(res, 200, { object: 'list', data: page.data, first_id: page.data[0]?.id ?? null, last_id: page.data.at(-1)?.id ?? null, has_more: page.hasMore });
}

async function fileContent(ctx: RequestContext): Promise<void> {
  const file = fileOr404(ctx);
  ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes });
  await pipeline(ctx.state.files.openContent(file.id), ctx.res);
}

async function deleteFile(ctx: RequestContext): Promise<void> {
  const file = fileOr404(ctx);
  await ctx.state.files.delete(file.id);
  sendJson(ctx.res, 200, { id: file.id, object: 'file', deleted: true });
}

function fileOr404({ params, state }: RequestContext): FileObject {
  const file = state.files.get(params.id);
  if (!file) throw notFound(`No such File object: ${params.id}`, 'id');
  return file;
}
