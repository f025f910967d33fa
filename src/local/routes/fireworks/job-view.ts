/** A core job in Fireworks' shape: JobState, status {code, message}, jobProgress, the output model. */
import type { JobRecord } from '../../state/job-store.js';
import type { ServerState } from '../route-table.js';
import type { FireworksJob, FireworksState } from './fireworks-state.js';

const stateOf: Record<JobRecord['job']['status'], string> = {
  validating_files: 'JOB_STATE_VALIDATING',
  queued: 'JOB_STATE_PENDING',
  running: 'JOB_STATE_RUNNING',
  succeeded: 'JOB_STATE_COMPLETED',
  failed: 'JOB_STATE_FAILED',
  cancelled: 'JOB_STATE_CANCELLED',
};

export function jobView(fw: FireworksState, job: FireworksJob, state: ServerState, host: string | undefined) {
  const record = state.jobs.get(job.coreId)!;
  const metrics = state.jobs.listEvents(job.coreId).find((e) => e.type === 'metrics')?.data as { step?: number; total_steps?: number } | undefined;
  const done = record.job.status === 'succeeded';
  const percent = done ? 100 : metrics?.step && metrics.total_steps ? Math.floor((100 * metrics.step) / metrics.total_steps) : 0;
  const status = record.job.error ? { code: record.job.error.code === 'invalid_training_file' ? 'INVALID_ARGUMENT' : 'INTERNAL', message: record.job.error.message } : { code: 'OK', message: '' };
  const training = { baseModel: job.baseModel, epochs: job.epochs, learningRate: job.learningRate, loraRank: job.loraRank, outputModel: fw.resource('models', job.outputModel), ...(job.batchSize ? { batchSize: job.batchSize } : {}) };
  return {
    name: fw.resource(job.collection, job.id),
    displayName: job.displayName,
    dataset: job.dataset,
    ...(job.evaluationDataset ? { evaluationDataset: job.evaluationDataset } : {}),
    createTime: job.createTime,
    ...(record.job.finished_at ? { completedTime: new Date(record.job.finished_at * 1000).toISOString() } : {}),
    updateTime: new Date((record.job.finished_at ?? record.job.created_at) * 1000).toISOString(),
    state: stateOf[record.job.status],
    status,
    createdBy: 'emulator@localhost',
    jobProgress: { percent, epoch: Math.min(job.epochs, record.checkpoints.length) },
    ...(done && job.collection === 'supervisedFineTuningJobs' ? { metricsFileSignedUrl: metricsUrl(host, job) } : {}),
    ...(job.collection === 'dpoJobs' ? { trainingConfig: training, lossConfig: { method: 'DPO', ...(job.klBeta !== null ? { klBeta: job.klBeta } : {}) } } : training),
  };
}

export function metricsUrl(host: string | undefined, job: FireworksJob): string {
  return `http://${host}/emulator-metrics/${job.collection}/${job.id}`;
}
