/**
 * Stage outputs are scanned for known key values before they are stored (a command that printed its
 * environment, a report quoting a provider's error body): an occurrence is replaced in place, streaming,
 * and named so the user can be told. Costs nothing when no secret is known.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { tempPathFor } from '../store/atomic.js';
import { knownSecretValues } from './known-secrets.js';

/** Redacts the file (or every file of a folder); returns the names of the secrets that were in it. */
export async function redactSecretsInFile(path: string): Promise<string[]> {
  const secrets = knownSecretValues();
  if (secrets.length === 0) return [];
  if ((await stat(path)).isDirectory()) {
    const found = new Set<string>();
    for (const entry of await readdir(path)) for (const name of await redactSecretsInFile(join(path, entry))) found.add(name);
    return [...found];
  }
  const found = await scan(path, secrets);
  if (found.length > 0) await rewrite(path, secrets);
  return found;
}

async function scan(path: string, secrets: Array<[string, string]>): Promise<string[]> {
  const needles = secrets.map(([value, name]) => ({ bytes: Buffer.from(value), name }));
  const overlap = Math.max(...needles.map((n) => n.bytes.length)) - 1;
  const found = new Set<string>();
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    for (const needle of needles) if (window.includes(needle.bytes)) found.add(needle.name);
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return [...found];
}

async function rewrite(path: string, secrets: Array<[string, string]>): Promise<void> {
  const keep = Math.max(...secrets.map(([value]) => value.length)) - 1;
  const temp = tempPathFor(path);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  const replaceAll = (text: string) => secrets.reduce((t, [value, name]) => t.split(value).join(`[redacted:${name}]`), text);
  async function* redacted(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      const text = replaceAll(carry + decoder.write(chunk));
      carry = text.slice(Math.max(0, text.length - keep)); // may hold the start of a key the next chunk completes
      yield text.slice(0, text.length - carry.length);
    }
    yield replaceAll(carry + decoder.end());
  }
  try {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), redacted, createWriteStream(temp));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
