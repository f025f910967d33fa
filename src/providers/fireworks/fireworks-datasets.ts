/**
 * A training file as a Fireworks dataset whose id is derived from the content digest (ftpipe-<40 hex>):
 * created (ALREADY_EXISTS means an earlier run made it), recorded at once through onCreated, uploaded in
 * one request up to 150 MB or through a signed URL above that, then read back until READY. A dataset
 * Fireworks refuses fails with Fireworks' reason (which names the line) and stays listed, recorded.
 */
import { createReadStream } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { APIError } from 'openai';
import { FtpipeError } from '../../errors.js';
import { abortableSleep } from '../../remote/abortable-sleep.js';
import { digestFile, hexOf } from '../../store/digest.js';
import type { ProviderCalls } from '../provider-calls.js';
import type { UploadedFile } from '../types.js';
import { fetchSigned, type FireworksRest } from './fireworks-rest.js';

export const SINGLE_REQUEST_BYTES = 150 * 1024 * 1024;

interface RawDataset {
  name: string;
  displayName?: string;
  state?: 'STATE_UNSPECIFIED' | 'UPLOADING' | 'READY';
  status?: { code?: string; message?: string };
  createTime?: string;
  exampleCount?: string;
}

export function datasetIdFor(digestHex: string): string {
  return `ftpipe-${digestHex.slice(0, 40)}`;
}

export async function uploadDataset(rest: FireworksRest, calls: ProviderCalls, path: string, options: { filename?: string; signal?: AbortSignal; pollMs: number; onCreated?: (file: UploadedFile) => Promise<void> | void }): Promise<UploadedFile> {
  const { signal } = options;
  const { digest, size } = await digestFile(path);
  const id = datasetIdFor(hexOf(digest));
  const filename = options.filename ?? basename(path);
  const route = `v1/accounts/${rest.account}/datasets`;
  let dataset = await calls.read(`read dataset ${id}`, signal, () => rest.request<RawDataset>('GET', `${route}/${id}`, { signal, nullOn404: true }));
  if (dataset?.state === 'READY') return toUploadedFile(dataset, size);
  if (!dataset) {
    dataset = await calls.idempotent(`create dataset ${id}`, signal, async () => {
      try {
        return await rest.request<RawDataset>('POST', route, { json: { datasetId: id, dataset: { displayName: filename, userUploaded: {} } }, signal });
      } catch (error) {
        // The client-chosen id makes a repeated create harmless: the dataset is already there.
        if (error instanceof APIError && error.status === 409) return rest.request<RawDataset>('GET', `${route}/${id}`, { signal });
        throw error;
      }
    });
  }
  await options.onCreated?.(toUploadedFile(dataset, size));
  await calls.idempotent(`upload ${filename} to dataset ${id}`, signal, async () => {
    try {
      if (size <= SINGLE_REQUEST_BYTES) {
        const form = new FormData();
        form.set('file', new File([await openAsBlob(path)], filename, { type: 'application/jsonl' }));
        await rest.request('POST', `${route}/${id}:upload`, { body: form, signal });
      } else {
        const { filenameToSignedUrls } = await rest.request<{ filenameToSignedUrls: Record<string, string> }>('POST', `${route}/${id}:getUploadEndpoint`, { json: { filenameToSize: { [filename]: String(size) } }, signal });
        await putSigned(rest, filenameToSignedUrls[filename], path, size, signal);
        await rest.request('POST', `${route}/${id}:validateUpload`, { json: {}, signal });
      }
    } catch (error) {
      if (error instanceof APIError && error.status === 400) throw rejected(id, filename, error);
      throw error;
    }
  });
  for (let polls = 0; dataset.state !== 'READY'; polls++) {
    if (dataset.status?.code && dataset.status.code !== 'OK') throw new FtpipeError(`Fireworks rejected dataset ${id} (${filename}): ${dataset.status.message}`, 'PROVIDER_FILE_REJECTED', { hint: 'fix the line Fireworks names and run again' });
    if (polls > 0) await abortableSleep(Math.min(10_000, options.pollMs * 2 ** Math.min(polls, 5)), signal);
    dataset = await calls.read(`read dataset ${id}`, signal, () => rest.request<RawDataset>('GET', `${route}/${id}`, { signal }));
  }
  return toUploadedFile(dataset, size);
}

function rejected(id: string, filename: string, error: APIError): FtpipeError {
  const message = (error.error as { message?: string } | undefined)?.message ?? error.message;
  return new FtpipeError(`Fireworks rejected ${filename} (dataset ${id}): ${message}`, 'PROVIDER_FILE_REJECTED', {
    cause: error,
    hint: `fix the line Fireworks names and run again (dataset ${id} stays on Fireworks, recorded by the upload stage; the rerun uploads to it again)`,
  });
}

async function putSigned(rest: FireworksRest, url: string | undefined, path: string, size: number, signal?: AbortSignal): Promise<void> {
  if (!url) throw new FtpipeError('Fireworks returned no signed upload URL', 'PROVIDER_ERROR');
  const response = await fetchSigned(rest, url, { method: 'PUT', signal, headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) }, body: Readable.toWeb(createReadStream(path)) as ReadableStream, duplex: 'half' } as RequestInit);
  if (!response.ok) throw new FtpipeError(`uploading to Fireworks' signed URL failed: HTTP ${response.status}`, 'PROVIDER_ERROR', { hint: 'run again: the dataset is recorded and the upload is repeated' });
}

/** The dataset as ftpipe's file: its short id (the train stage takes ids, not paths), size as uploaded here. */
export function toUploadedFile(raw: RawDataset, bytes: number): UploadedFile {
  return { id: raw.name.split('/').pop()!, bytes, filename: raw.displayName ?? raw.name, status: raw.state === 'READY' ? 'processed' : raw.status?.code && raw.status.code !== 'OK' ? 'error' : 'uploaded', createdAt: raw.createTime ? Math.floor(Date.parse(raw.createTime) / 1000) : 0 };
}

export async function listDatasets(rest: FireworksRest, calls: ProviderCalls, signal?: AbortSignal): Promise<UploadedFile[]> {
  const files: UploadedFile[] = [];
  let pageToken = '';
  do {
    const page = await calls.read('list datasets', signal, () => rest.request<{ datasets?: RawDataset[]; nextPageToken?: string }>('GET', `v1/accounts/${rest.account}/datasets`, { query: { pageSize: 200, pageToken: pageToken || undefined }, signal }));
    // Fireworks does not report a dataset's size in bytes.
    files.push(...(page.datasets ?? []).map((d) => toUploadedFile(d, 0)));
    pageToken = page.nextPageToken ?? '';
  } while (pageToken);
  return files;
}
