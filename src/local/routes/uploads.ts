/**
 * OpenAI's Uploads API (POST /v1/uploads, /parts, /complete, /cancel) on the core file store: how files
 * over the Files API's 512 MB are sent, in parts of at most 64 MB, up to 8 GB. Parts wait in temp
 * files; complete joins them in the order given into one file. Uploads in progress live in memory
 * (OpenAI's expire after an hour; a restart here drops them).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ApiError, invalidRequest, notFound } from '../api-error.js';
import { readJsonBody, sendJson } from '../http-io.js';
import { FILE_PURPOSES, type FileObject, type FilePurpose } from '../state/file-store.js';
import { randomId } from '../random.js';
import { receiveMultipartFile } from './vendor/multipart-file.js';
import type { RequestContext, Route } from './route-table.js';

const MAX_PART_BYTES = 64 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;

interface Upload {
  id: string;
  filename: string;
  purpose: FilePurpose;
  bytes: number;
  created_at: number;
  status: 'pending' | 'completed' | 'cancelled';
  parts: Map<string, string>;
  file: FileObject | null;
}

const uploads = new Map<string, Upload>();

export const uploadRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/uploads', handle: createUpload },
  { method: 'POST', pattern: '/v1/uploads/:id/parts', handle: addPart },
  { method: 'POST', pattern: '/v1/uploads/:id/complete', handle: completeUpload },
  { method: 'POST', pattern: '/v1/uploads/:id/cancel', handle: cancelUpload },
];

async function createUpload({ req, res, state }: RequestContext): Promise<void> {
  const body = await readJsonBody(req, state.limits.jsonBytes);
  const { filename, purpose, bytes } = body;
  if (typeof filename !== 'string' || !filename) throw invalidRequest("Missing required parameter: 'filename'.", 'filename');
  if (typeof purpose !== 'string' || !FILE_PURPOSES.includes(purpose as FilePurpose)) throw invalidRequest(`Invalid value for 'purpose': ${purpose}.`, 'purpose');
  if (!Number.isInteger(bytes) || (bytes as number) < 1 || (bytes as number) > MAX_UPLOAD_BYTES) throw invalidRequest(`'bytes' must be an integer from 1 to ${MAX_UPLOAD_BYTES} (8 GB).`, 'bytes');
  const upload: Upload = { id: randomId('upload_'), filename, purpose: purpose as FilePurpose, bytes: bytes as number, created_at: Math.floor(Date.now() / 1000), status: 'pending', parts: new Map(), file: null };
  uploads.set(upload.id, upload);
  sendJson(res, 200, view(upload));
}

async function addPart(ctx: RequestContext): Promise<void> {
  const upload = pending(ctx);
  const received = await receiveMultipartFile(ctx, 'data');
  const { size } = await stat(received.temp);
  if (size > MAX_PART_BYTES) {
    await rm(received.temp, { force: true });
    throw invalidRequest(`A part can be at most 64 MB (got ${size} bytes).`, 'data');
  }
  const id = randomId('part_');
  upload.parts.set(id, received.temp);
  sendJson(ctx.res, 200, { id, object: 'upload.part', created_at: Math.floor(Date.now() / 1000), upload_id: upload.id });
}

async function completeUpload(ctx: RequestContext): Promise<void> {
  const upload = pending(ctx);
  const body = await readJsonBody(ctx.req, ctx.state.limits.jsonBytes);
  const ids = body.part_ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || !upload.parts.has(id))) throw invalidRequest("'part_ids' must list the parts of this upload, in order.", 'part_ids');
  const temp = ctx.state.files.tempPath();
  const out = createWriteStream(temp);
  for (const id of ids as string[]) await pipeline(createReadStream(upload.parts.get(id)!), out, { end: false });
  out.end();
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  const { size } = await stat(temp);
  if (size !== upload.bytes) {
    await rm(temp, { force: true });
    throw invalidRequest(`The parts hold ${size} bytes; the upload was created for ${upload.bytes}.`, 'part_ids');
  }
  upload.file = await ctx.state.files.adopt(temp, { filename: upload.filename, purpose: upload.purpose });
  upload.status = 'completed';
  await dropParts(upload);
  sendJson(ctx.res, 200, view(upload));
}

async function cancelUpload(ctx: RequestContext): Promise<void> {
  const upload = pending(ctx);
  upload.status = 'cancelled';
  await dropParts(upload);
  sendJson(ctx.res, 200, view(upload));
}

function pending({ params }: RequestContext): Upload {
  const upload = uploads.get(params.id);
  if (!upload) throw notFound(`No such Upload object: ${params.id}`, 'upload_id');
  if (upload.status !== 'pending') throw new ApiError(400, `Upload ${upload.id} is already ${upload.status}.`, { param: 'upload_id' });
  return upload;
}

async function dropParts(upload: Upload): Promise<void> {
  for (const temp of upload.parts.values()) await rm(temp, { force: true });
  upload.parts.clear();
}

function view(u: Upload) {
  return { id: u.id, object: 'upload', bytes: u.bytes, created_at: u.created_at, filename: u.filename, purpose: u.purpose, status: u.status, expires_at: u.created_at + 3600, file: u.file };
}
