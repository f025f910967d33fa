/**
 * Uploads a data file at most once per provider identity: the remote filename embeds the content
 * digest, so the same bytes (under any local name) are found by listing instead of uploaded again.
 */
import { basename } from 'node:path';
import { digestFile, hexOf } from '../store/digest.js';
import type { Provider, UploadedFile } from '../providers/types.js';

export function remoteFilename(digestHex: string, path: string): string {
  return `ftpipe-${digestHex.slice(0, 16)}-${basename(path)}`;
}

export interface UploadOnceResult {
  file: UploadedFile;
  reused: boolean;
  filename: string;
}

export async function uploadOnce(provider: Provider, path: string, options: { purpose: 'fine-tune'; signal?: AbortSignal; knownId?: string; onCreated?: (file: UploadedFile) => Promise<void> | void }): Promise<UploadOnceResult> {
  const { digest, size } = await digestFile(path);
  const digestHex = hexOf(digest);
  const filename = remoteFilename(digestHex, path);
  const existing = (await provider.listFiles({ purpose: options.purpose, signal: options.signal })).filter((f) => f.status !== 'error' && f.bytes === size);
  // The id remembered by an interrupted run wins; else any upload of the same content (the digest part of the name is what matters).
  const match = existing.find((f) => f.id === options.knownId) ?? existing.find((f) => f.filename.startsWith(`ftpipe-${digestHex.slice(0, 16)}-`));
  if (match) return { file: match, reused: true, filename: match.filename };
  const file = await provider.uploadFile(path, { purpose: options.purpose, filename, signal: options.signal, onCreated: options.onCreated });
  return { file, reused: false, filename };
}
