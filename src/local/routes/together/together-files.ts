/**
 * Together's files API: POST /files/upload (multipart, as Together's OpenAPI description has it), list,
 * retrieve, content, delete. Files are validated after upload like Together's pipeline
 * (processing_status, validation_report). (The together-ai SDK's own files.upload() helper — announce,
 * then PUT a stream to a presigned URL — cannot run on Node 20: its fetch lacks `duplex`; ftpipe uses
 * /files/upload.)
 */
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../../http-io.js';
import type { FileObject, FilePurpose } from '../../state/file-store.js';
import { receiveMultipartFile } from '../vendor/multipart-file.js';
import { checkTrainingLines } from '../vendor/training-lines.js';
import type { RequestContext, Route, ServerState } from '../route-table.js';
import { invalidRequest, notFound } from './together-errors.js';
import type { TogetherFile, TogetherState } from './together-state.js';

const PURPOSES: Record<string, FilePurpose> = { 'fine-tune': 'fine-tune', eval: 'user_data', 'batch-api': 'batch' };

export function togetherFileRoutes(together: TogetherState): Route[] {
  const adopt = async (state: ServerState, temp: string, filename: string, purpose: TogetherFile['purpose']) => {
    const core = await state.files.adopt(temp, { filename, purpose: PURPOSES[purpose] });
    const file: TogetherFile = { id: core.id, coreId: core.id, purpose, processing_status: purpose === 'fine-tune' ? 'PENDING' : 'COMPLETED' };
    await together.files.save(file.id, file);
    if (purpose === 'fine-tune') {
      validate(state, file).catch(async (error) => {
        file.processing_status = 'FAILED';
        file.validation_report = { valid: false, error: `validation failed: ${error instanceof Error ? error.message : error}`, file_id: file.id };
        await together.files.save(file.id, file).catch(() => {});
      });
    }
    return file;
  };

  const validate = async (state: ServerState, file: TogetherFile) => {
    const check = await checkTrainingLines(state.files.contentPath(file.coreId));
    const format = check.format === 'preference' ? 'PREFERENCE_OPENAI' : 'CONVERSATION';
    file.processing_status = check.error ? 'INVALID_FORMAT' : 'COMPLETED';
    file.validation_report = check.error
      ? { valid: false, error: `Invalid format on line ${check.error.line} of the input file: ${check.error.message}.`, error_type: 'INVALID_FORMAT', nlines: check.lines, file_id: file.id }
      : { valid: true, dataset_format: format, nlines: check.lines, file_id: file.id };
    await together.files.save(file.id, file);
  };

  const fileOr404 = ({ params, state }: RequestContext) => {
    const file = together.files.get(params.id);
    const core = file && state.files.get(file.coreId);
    if (!file || !core) throw notFound(`File ${params.id} not found`, 'id', 'file_not_found');
    return { file, core };
  };

  return [
    {
      method: 'POST',
      pattern: '/v1/files/upload',
      async handle(ctx) {
        const received = await receiveMultipartFile(ctx);
        const purpose = received.fields.purpose;
        if (!purpose || !(purpose in PURPOSES)) {
          await rm(received.temp, { force: true });
          throw invalidRequest(`purpose must be one of ${Object.keys(PURPOSES).join(', ')} (got ${JSON.stringify(purpose)}).`, 'purpose');
        }
        const file = await adopt(ctx.state, received.temp, received.fields.file_name || received.filename, purpose as TogetherFile['purpose']);
        sendJson(ctx.res, 200, fileResponse(file, ctx.state.files.get(file.coreId)!));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/files',
      async handle({ res, state }) {
        const data = together.files.list().flatMap((file) => {
          const core = state.files.get(file.coreId);
          return core ? [fileResponse(file, core)] : [];
        });
        sendJson(res, 200, { data });
      },
    },
    { method: 'GET', pattern: '/v1/files/:id', handle: async (ctx) => { const { file, core } = fileOr404(ctx); sendJson(ctx.res, 200, fileResponse(file, core)); } },
    {
      method: 'GET',
      pattern: '/v1/files/:id/content',
      async handle(ctx) {
        const { core } = fileOr404(ctx);
        ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': core.bytes });
        await pipeline(ctx.state.files.openContent(core.id), ctx.res);
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/files/:id',
      async handle(ctx) {
        const { file, core } = fileOr404(ctx);
        await ctx.state.files.delete(core.id);
        await together.files.delete(file.id);
        sendJson(ctx.res, 200, { id: file.id, deleted: true });
      },
    },
  ];
}

function fileResponse(file: TogetherFile, core: FileObject) {
  return {
    id: file.id,
    object: 'file',
    bytes: core.bytes,
    created_at: core.created_at,
    filename: core.filename,
    FileType: 'jsonl',
    Processed: file.processing_status === 'COMPLETED',
    purpose: file.purpose,
    processing_status: file.processing_status,
    ...(file.validation_report ? { validation_report: file.validation_report } : {}),
  };
}

