/**
 * Writes edits back to a JSONL file: streamed through a temp file in the same folder and renamed over
 * the original (atomic), untouched lines copied byte for byte, and refused when the file changed on
 * disk since it was loaded. "Save as" writes the edited copy to a new file instead (never over one).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { basename, dirname, join } from 'node:path';
import { FtpipeError } from '../errors.js';
import { fileUnchanged, type FileFingerprint } from './jsonl-index.js';

export interface DatasetEdits {
  /** 1-based line → the new example (re-serialised as one JSON line), or null to delete the line. */
  lines: Map<number, unknown>;
  /** Examples added at the end of the file. */
  append: unknown[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function saveDataset(file: string, loaded: FileFingerprint, edits: DatasetEdits, saveAs?: string): Promise<void> {
  if (!(await fileUnchanged(file, loaded))) {
    throw new FtpipeError(`${basename(file)} changed on disk since it was loaded; saving would overwrite those changes`, 'STUDIO_FILE_CHANGED', {
      hint: 'reload the file to see the new content (your unsaved edits will be lost), then edit again',
    });
  }
  const target = saveAs ?? file;
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.studio-${process.pid}-${Date.now()}.tmp`);
  const out = createWriteStream(temp);
  // Reported by finished() below; without a listener a disk error would crash the server.
  out.on('error', () => {});
  try {
    let line = 0;
    let pending: Buffer[] = [];
    // Appended examples use the file's own line ending (CRLF files stay CRLF).
    let fileEnding = '\n';
    let endsWithNewline = true;
    const write = async (data: Buffer) => {
      if (data.length === 0) return;
      endsWithNewline = data[data.length - 1] === 0x0a;
      if (!out.write(data)) await once(out, 'drain');
    };
    const emit = async (raw: Buffer) => {
      line++;
      const ending = lineEnding(raw);
      if (ending) fileEnding = ending;
      if (!edits.lines.has(line)) return write(raw);
      const replacement = edits.lines.get(line);
      if (replacement === null) return;
      const bom = line === 1 && raw.subarray(0, 3).equals(BOM) ? BOM : Buffer.alloc(0);
      await write(Buffer.concat([bom, Buffer.from(JSON.stringify(replacement) + ending)]));
    };
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
        pending.push(chunk.subarray(from, nl + 1));
        await emit(pending.length === 1 ? pending[0] : Buffer.concat(pending));
        pending = [];
        from = nl + 1;
      }
      if (from < chunk.length) pending.push(chunk.subarray(from));
    }
    if (pending.length > 0) await emit(Buffer.concat(pending));
    if (edits.append.length > 0 && !endsWithNewline) await write(Buffer.from(fileEnding));
    for (const example of edits.append) await write(Buffer.from(JSON.stringify(example) + fileEnding));
    out.end();
    await finished(out);
    if (saveAs === undefined) await rename(temp, file);
    else await linkNew(temp, saveAs);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}

/** Puts the temp file at `target` only if nothing is there (a link fails on an existing name: no race). */
async function linkNew(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FtpipeError(`${basename(target)} already exists`, 'STUDIO_FILE_EXISTS', { hint: 'pick a new file name (save as never overwrites a file)' });
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

function lineEnding(raw: Buffer): string {
  if (raw.length >= 2 && raw[raw.length - 2] === 0x0d && raw[raw.length - 1] === 0x0a) return '\r\n';
  return raw.length >= 1 && raw[raw.length - 1] === 0x0a ? '\n' : '';
}
