/**
 * Files over the Files API's 512 MB go through OpenAI's Uploads API: create an Upload, send the bytes in
 * parts of 64 MB (each part retried on its own; a part sent twice is simply not listed), complete it with
 * the part ids in order. Over 8 GB (the Uploads API's limit), or on a server without the Uploads API, the
 * upload is refused before a byte is sent or right at the start, with the reason.
 */
import { APIError } from 'openai';
import type OpenAI from 'openai';
import { FtpipeError, ExitCode } from '../errors.js';
import { withRetries, type RetryOptions } from '../remote/retry.js';

export const FILES_API_MAX_BYTES = 512 * 1024 * 1024;
export const UPLOADS_API_MAX_BYTES = 8 * 1024 * 1024 * 1024;
export const UPLOAD_PART_BYTES = 64 * 1024 * 1024;

export interface UploadLimits {
  /** Above this the Uploads API is used (default 512 MB). */
  filesApiBytes: number;
  /** Part size (default 64 MB). */
  partBytes: number;
}

export const defaultUploadLimits: UploadLimits = { filesApiBytes: FILES_API_MAX_BYTES, partBytes: UPLOAD_PART_BYTES };

export function refuseOversized(filename: string, bytes: number): void {
  if (bytes <= UPLOADS_API_MAX_BYTES) return;
  throw new FtpipeError(`${filename} is ${gigabytes(bytes)}; OpenAI takes training files of at most 8 GB (Uploads API)`, 'PROVIDER_FILE_TOO_LARGE', {
    hint: 'split the training data, or lower it with clean/validate (max_tokens, dedupe) before uploading',
    exitCode: ExitCode.usage,
  });
}

export async function uploadInParts(
  client: OpenAI,
  blob: Blob,
  options: { filename: string; purpose: 'fine-tune'; limits: UploadLimits; retry: RetryOptions; request: (signal?: AbortSignal) => { maxRetries: number; signal?: AbortSignal } },
): Promise<OpenAI.FileObject> {
  const { signal } = options.retry;
  let upload: OpenAI.Uploads.Upload;
  try {
    upload = await client.uploads.create({ bytes: blob.size, filename: options.filename, mime_type: 'application/jsonl', purpose: options.purpose }, options.request(signal));
  } catch (error) {
    if (error instanceof APIError && (error.status === 404 || error.status === 405)) {
      throw new FtpipeError(`${options.filename} is ${gigabytes(blob.size)}, over the Files API's 512 MB, and this server has no Uploads API (POST /uploads: ${error.status})`, 'PROVIDER_FILE_TOO_LARGE', {
        hint: 'split the training data into files under 512 MB, or use a provider with the Uploads API (OpenAI, Azure OpenAI)',
        exitCode: ExitCode.usage,
        cause: error,
      });
    }
    throw error;
  }
  const partIds: string[] = [];
  for (let start = 0; start < blob.size; start += options.limits.partBytes) {
    // A slice of a file-backed Blob reads only its range from disk.
    const data = new File([blob.slice(start, Math.min(blob.size, start + options.limits.partBytes))], `part-${partIds.length + 1}`);
    const part = await withRetries(() => client.uploads.parts.create(upload.id, { data }, options.request(signal)), options.retry);
    partIds.push(part.id);
  }
  const completed = await client.uploads.complete(upload.id, { part_ids: partIds }, options.request(signal));
  if (!completed.file) throw new FtpipeError(`upload ${upload.id} completed without a file`, 'PROVIDER_ERROR');
  return completed.file;
}

function gigabytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${(bytes / 2 ** 20).toFixed(0)} MB`;
}
