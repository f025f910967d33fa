/**
 * Receives one multipart upload (busboy) into a temp file. Every way an upload can go wrong — a body
 * cut short, a client that disconnects, a part the parser rejects, a body past the size limit (chunked
 * bodies included: the bytes are counted as they arrive), a disk error — settles the one promise with an
 * ApiError (or `client_gone`) after the temp file is removed: nothing is left behind, nothing crashes.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { clientGone } from '../http/server-timeouts.js';
import { invalidRequest, storageError, type ApiError } from './api-error.js';
import { checkDeclaredLength, tooLarge } from './http-io.js';

export interface ReceivedUpload {
  fields: Record<string, string>;
  /** The first part named "file", fully written to `temp` (the caller adopts or removes it). */
  file?: { temp: string; filename: string; bytes: number };
}

/** The client went away mid-upload: there is no one to answer. */
export class ClientGone extends Error {}

const MAX_FIELDS = 10;
const MAX_FILENAME_CHARS = 255;

export async function receiveUpload(req: IncomingMessage, options: { limit: number; tempPath: () => string }): Promise<ReceivedUpload> {
  if (clientGone(req)) throw new ClientGone('the client disconnected before the upload was read');
  checkDeclaredLength(req, options.limit);
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) throw invalidRequest('Uploads must be multipart/form-data with a "file" and a "purpose" field.');
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: options.limit, files: 1, fields: MAX_FIELDS, parts: MAX_FIELDS + 1 } });
  } catch (error) {
    throw invalidRequest(`Could not read the multipart upload: ${(error as Error).message} (send multipart/form-data with a boundary).`);
  }
  const received: ReceivedUpload = { fields: {} };
  let out: WriteStream | undefined;
  let settle!: (error?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    let settled = false;
    let parsed = false;
    let written = true;
    settle = (error) => {
      if (settled) return;
      if (error) {
        settled = true;
        stop(req, parser);
        out?.destroy();
        void removeTemp(received).then(() => reject(error), () => reject(error));
      } else if (parsed && written) {
        settled = true;
        resolve();
      }
    };
    parser.on('field', (name, value) => (received.fields[name] = value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || received.file) {
        stream.resume();
        return;
      }
      written = false;
      received.file = { temp: options.tempPath(), filename: cleanFilename(info.filename), bytes: 0 };
      const file = received.file;
      out = createWriteStream(file.temp);
      out.on('error', (error) => settle(storageError(error as NodeJS.ErrnoException, 'the upload')));
      out.on('finish', () => {
        written = true;
        settle();
      });
      stream.on('data', (chunk: Buffer) => (file.bytes += chunk.length));
      stream.on('limit', () => settle(tooLarge(options.limit)));
      stream.on('error', (error) => settle(malformed(error)));
      stream.pipe(out);
    });
    parser.on('filesLimit', () => settle(invalidRequest('Upload exactly one file, in the "file" field.', 'file')));
    parser.on('fieldsLimit', () => settle(invalidRequest(`Too many form fields (at most ${MAX_FIELDS}).`)));
    parser.on('partsLimit', () => settle(invalidRequest(`Too many form parts (at most ${MAX_FIELDS + 1}).`)));
    parser.on('error', (error) => settle(malformed(error as Error)));
    parser.on('close', () => {
      parsed = true;
      settle();
    });
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > options.limit) return settle(tooLarge(options.limit));
      if (!parser.write(chunk)) req.pause();
    });
    parser.on('drain', () => req.resume());
    req.on('end', () => parser.end());
    req.on('error', () => settle(new ClientGone('the client disconnected mid-upload')));
    req.on('close', () => {
      if (!req.complete) settle(new ClientGone('the client disconnected mid-upload'));
    });
  });
  await done;
  return received;
}

/** Stop reading: the parser gets no more bytes and the request is no longer consumed. */
function stop(req: IncomingMessage, parser: busboy.Busboy): void {
  req.removeAllListeners('data');
  req.pause();
  parser.removeAllListeners('drain');
  parser.destroy();
}

async function removeTemp(received: ReceivedUpload): Promise<void> {
  if (received.file) await rm(received.file.temp, { force: true });
}

function malformed(error: Error): ApiError {
  return invalidRequest(`Could not read the multipart upload: ${error.message}.`);
}

/** The file's own name only (a client may send a path), without control characters, at most 255 characters. */
function cleanFilename(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'upload').slice(0, MAX_FILENAME_CHARS);
}
