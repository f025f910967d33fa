import { describe, expect, it } from 'vitest';
import { normaliseJobStatus, toJob, toUploadedFile } from '../../src/providers/job-mapping.js';
import { decodeResultFile, parseMetricsCsv } from '../../src/providers/result-file.js';
import { toModelInfo } from '../../src/providers/model-info.js';

describe('job states', () => {
  it('normalises provider words and keeps the raw one', () => {
    expect(normaliseJobStatus('validating_files')).toBe('preparing');
    expect(normaliseJobStatus('pending')).toBe('queued'); // Azure
    expect(normaliseJobStatus('queued')).toBe('queued');
    expect(normaliseJobStatus('running')).toBe('running');
    expect(normaliseJobStatus('succeeded')).toBe('succeeded');
    expect(normaliseJobStatus('failed')).toBe('failed');
    expect(normaliseJobStatus('cancelled')).toBe('cancelled');
    expect(normaliseJobStatus('Canceled')).toBe('cancelled');
    expect(normaliseJobStatus('something_new')).toBe('running'); // unknown: still in flight, never final
    const job = toJob({ id: 'ftjob-1', status: 'pending', model: 'm', created_at: 1, error: { code: null, message: null }, metadata: { ftpipe_key: 'k' } });
    expect(job).toMatchObject({ status: 'queued', rawStatus: 'pending', error: null, resultFiles: [], metadata: { ftpipe_key: 'k' } });
  });

  it('keeps the provider error code and message, and method hyperparameters', () => {
    const job = toJob({
      id: 'j', status: 'failed', model: 'm', created_at: 1,
      error: { code: 'invalid_training_file', message: 'line 3 is not JSON', param: 'training_file' },
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 3 } } },
    });
    expect(job.error).toEqual({ code: 'invalid_training_file', message: 'line 3 is not JSON', param: 'training_file' });
    expect(job.hyperparameters).toEqual({ n_epochs: 3 });
  });

  it('maps file statuses; a file without status is usable', () => {
    expect(toUploadedFile({ id: 'f', bytes: 1, filename: 'a', created_at: 1 }).status).toBe('processed');
    expect(toUploadedFile({ id: 'f', bytes: 1, filename: 'a', created_at: 1, status: 'uploaded' }).status).toBe('uploaded');
    expect(toUploadedFile({ id: 'f', bytes: 1, filename: 'a', created_at: 1, status: 'error' }).status).toBe('error');
  });

  it('reads shutdown_date as unix seconds or ISO', () => {
    expect(toModelInfo({ id: 'a', shutdown_date: 1799884800 }).shutdownDate).toBe('2027-01-14');
    expect(toModelInfo({ id: 'a', shutdown_date: '2027-01-14' }).shutdownDate).toBe('2027-01-14');
    expect(toModelInfo({ id: 'a', shutdown_date: null }).shutdownDate).toBeUndefined();
  });
});

describe('result files', () => {
  const csv = 'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,1.25,0.5,,\n2,0.75,0.75,0.9,0.6\n';

  it('decodes base64 (as OpenAI serves it) and passes plain CSV through', async () => {
    const base64 = Buffer.from(Buffer.from(csv).toString('base64'));
    expect(decodeResultFile(base64).toString()).toBe(csv);
    expect(decodeResultFile(Buffer.from(csv)).toString()).toBe(csv);
    const wrapped = Buffer.from(Buffer.from(csv).toString('base64').replace(/(.{76})/g, '$1\n'));
    expect(decodeResultFile(wrapped).toString()).toBe(csv);
  });

  it('keeps files that only look like base64', () => {
    expect(decodeResultFile(Buffer.from('abcd')).toString()).toBe('abcd');
    expect(decodeResultFile(Buffer.from('{"a":1}\n')).toString()).toBe('{"a":1}\n');
  });

  it('parses metrics rows with empty cells as null', async () => {
    const rows = await parseMetricsCsv(decodeResultFile(Buffer.from(Buffer.from(csv).toString('base64'))));
    expect(rows).toEqual([
      { step: 1, train_loss: 1.25, train_accuracy: 0.5, valid_loss: null, valid_mean_token_accuracy: null },
      { step: 2, train_loss: 0.75, train_accuracy: 0.75, valid_loss: 0.9, valid_mean_token_accuracy: 0.6 },
    ]);
  });
});
