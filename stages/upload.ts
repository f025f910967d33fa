/**
 * Uploads a data artifact to the provider for fine-tuning. The remote name embeds the content digest
 * (ftpipe-<sha256:16>-<name>), so the same content is uploaded once per provider identity and a
 * rerun (or another recipe) reuses it. The file id is recorded the moment it exists.
 */
import { defineStage } from '../src/stage/types.js';
import { FtpipeError, ExitCode } from '../src/errors.js';
import { uploadOnce } from '../src/remote/upload-once.js';

interface UploadParams {
  input: string;
  purpose?: 'fine-tune';
}

export default defineStage<UploadParams>({
  type: 'upload',
  version: 1,
  description: 'Upload a training or validation file to the provider (reused when the same content is already there)',
  inputs: ['input'],
  usesProvider: true,
  paid: false,
  outputs: {
    file_id: { kind: 'value', description: 'the provider file id, e.g. file-abc123', standsFor: 'input' },
  },
  async run(ctx) {
    const { input, purpose = 'fine-tune' } = ctx.params;
    if (typeof input !== 'string') {
      throw new FtpipeError('upload takes one file in input', 'PARAM_INVALID', { stage: ctx.id, exitCode: ExitCode.usage, hint: 'use one upload stage per file (training, validation)' });
    }
    const provider = await ctx.provider();
    const result = await uploadOnce(provider, input, {
      purpose,
      signal: ctx.signal,
      knownId: ctx.state.get<string>('file_id'),
      onCreated: (file) => ctx.state.set('file_id', file.id),
    });
    await ctx.state.set('file_id', result.file.id);
    ctx.log.info(`${result.reused ? 'reused' : 'uploaded'} ${result.filename} as ${result.file.id} (${result.file.bytes} bytes)`);
    return {
      values: { file_id: result.file.id },
      summary: `${result.file.id} (${result.reused ? 'reused, already on the provider' : `uploaded ${formatBytes(result.file.bytes)}`})`,
      ...(result.reused ? { reused: `the upload ${result.file.id} already on the provider` } : {}),
    };
  },
});

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
