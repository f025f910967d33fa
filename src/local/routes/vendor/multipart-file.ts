/**
 * One file (and the plain fields) from a multipart/form-data upload, streamed to a temp file in the
 * core's file store (busboy), for the vendor upload routes. The caller adopts or removes the temp file.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ApiError, invalidRequest } from '../../api-error.js';
import { checkDeclaredLength, tooLarge } from '../../http-io.js';
import type { RequestContext } from '../route-table.js';

export interface ReceivedFile {
  temp: string;
  filename: string;
  fields: Record<string, string>;
}

export async function receiveMultipartFile({ req, state }: RequestContext, fileField = 'file'): Promise<ReceivedFile> {
  const limit = state.limits.fileBytes;
  checkDeclaredLength(req, limit);
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) throw invalidRequest(`Uploads must be multipart/form-data with a "${fileField}" field.`);
  const fields: Record<string, string> = {};
  let upload: { temp: string; filename: string } | undefined;
  let truncated = false;
  const writes: Promise<void>[] = [];
  const parser = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 20 } });
  parser.on('field', (name, value) => (fields[name] = value));
  parser.on('file', (name, stream, info) => {
    if (name !== fileField || upload) return void stream.resume();
    upload = { temp: state.files.tempPath(), filename: info.filename || 'upload' };
    stream.on('limit', () => (truncated = true));
    writes.push(pipeline(stream, createWriteStream(upload.temp)));
  });
  try {
    await pipeline(req, parser);
    await Promise.all(writes);
    if (truncated) throw tooLarge(limit);
    if (!upload) throw invalidRequest(`Missing required field: '${fileField}'.`, fileField);
    return { ...upload, fields };
  } catch (error) {
    if (upload) await rm(upload.temp, { force: true });
    if (error instanceof ApiError) throw error;
    throw invalidRequest(`Could not read the multipart upload: ${error instanceof Error ? error.message : error}`);
  }
}
