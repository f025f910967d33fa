/**
 * Together's own file check (the together-ai SDK's checkFile: format, roles, UTF-8, size) before a byte
 * is uploaded, so a rejected dataset fails with Together's reason and line number, at no cost. The
 * SDK's check reads the whole file to test UTF-8, so files over `maxCheckedBytes` skip it and rely on
 * Together's server-side validation (processing_status / validation_report) instead.
 */
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { FtpipeError } from '../../errors.js';

export const maxCheckedBytes = 256 * 1024 * 1024;

export async function checkWithTogether(path: string, purpose: 'fine-tune'): Promise<'checked' | 'too-large'> {
  if ((await stat(path)).size > maxCheckedBytes) return 'too-large';
  // The SDK's ESM build loads node modules with require() and breaks under ESM; its CommonJS build works.
  const { checkFile } = createRequire(import.meta.url)('together-ai/lib/check-file') as typeof import('together-ai/lib/check-file');
  // The SDK decides the format by extension: give it a .jsonl name for content-addressed paths.
  const { file, cleanup } = extname(path) === '.jsonl' ? { file: path, cleanup: async () => {} } : await jsonlAlias(path);
  try {
    const report = await checkFile(file, purpose);
    if (report.is_check_passed) return 'checked';
    const line = report.line_number ? ` (line ${report.line_number})` : '';
    throw new FtpipeError(`Together's file check refused ${basename(path)}${line}: ${report.message}`, 'PROVIDER_FILE_REJECTED', {
      hint: report.line_number ? `fix line ${report.line_number} of ${path} (or the stage that wrote it) and run again` : 'see https://docs.together.ai/docs/fine-tuning-data-preparation for the formats Together accepts',
    });
  } finally {
    await cleanup();
  }
}

async function jsonlAlias(path: string): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ftpipe-together-check-'));
  const file = join(dir, `${basename(path)}.jsonl`);
  await symlink(resolve(path), file);
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
