/** /v1/files: multipart uploads streamed to disk (busboy), listing, retrieval, content and deletion. */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ApiError, invalidRequest, notFound } from '../api-error.js';
import { checkDeclaredLength, paginate, parseLimit, sendJson, tooLarge } from '../http-io.js';
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
  const limit = state.limits.fileBytes;
  checkDeclaredLength(req, limit);
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) throw invalidRequest('Uploads must be multipart/form-data with a "file" and a "purpose" field.');
  const fields: Record<string, string> = {};
  let upload: { temp: string; filename: string } | undefined;
  let truncated = false;
  const writes: Promise<void>[] = [];
  const parser = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 10 } });
  parser.on('field', (name, value) => (fields[name] = value));
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || upload) {
      stream.resume();
      return;
    }
    upload = { temp: state.files.tempPath(), filename: info.filename || 'upload' };
    stream.on('limit', () => (truncated = true));
    writes.push(pipeline(stream, createWriteStream(upload.temp)));
  });
  try {
    await pipeline(req, parser);
    await Promise.all(writes);
    if (truncated) throw tooLarge(limit);
    if (!upload) throw invalidRequest("Missing required parameter: 'file'.", 'file');
    const purpose = fields.purpose;
    if (!purpose) throw invalidRequest("Missing required parameter: 'purpose'.", 'purpose');
    if (!FILE_PURPOSES.includes(purpose as FilePurpose)) throw invalidRequest(`Invalid value for 'purpose': ${purpose}.`, 'purpose');
    const file = await state.files.adopt(upload.temp, { filename: upload.filename, purpose: purpose as FilePurpose });
    sendJson(res, 200, file);
  } catch (error) {
    if (upload) await rm(upload.temp, { force: true });
    if (error instanceof ApiError) throw error;
    throw invalidRequest(`Could not read the multipart upload: ${error instanceof Error ? error.message : error}`);
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
