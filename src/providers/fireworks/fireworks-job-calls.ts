/**
 * Fireworks job calls: create (find the key's attempts first, then create the next attempt's id;
 * ALREADY_EXISTS reads the job back), find, get, cancel (Fireworks stops a job by deleting it), the
 * events ftpipe shows (Fireworks has no event list: the job's state and progress), and the model list
 * with Fireworks' deprecation dates.
 */
import { APIError } from 'openai';
import type { ProviderCalls } from '../provider-calls.js';
import type * as P from '../types.js';
import { createBody, jobId, toJob, type Collection, type RawFireworksJob } from './fireworks-jobs.js';
import type { FireworksRest } from './fireworks-rest.js';

export type { FireworksJobSettings } from './fireworks-jobs.js';
import type { FireworksJobSettings } from './fireworks-jobs.js';

const idParam: Record<Collection, string> = { supervisedFineTuningJobs: 'supervisedFineTuningJobId', dpoJobs: 'dpoJobId' };
const collections: Collection[] = ['supervisedFineTuningJobs', 'dpoJobs'];
/** Attempts per key looked at (a failed or cancelled job is retried under the next id). */
const MAX_ATTEMPTS = 50;

export class FireworksJobs {
  constructor(
    private readonly rest: FireworksRest,
    private readonly calls: ProviderCalls,
    private readonly settings: FireworksJobSettings,
  ) {}

  async create(spec: P.JobSpec, signal?: AbortSignal): Promise<P.Job> {
    const collection: Collection = spec.method === 'dpo' ? 'dpoJobs' : 'supervisedFineTuningJobs';
    const { live, attempts } = await this.attempts(spec.idempotencyKey, collection, signal);
    if (live) return toJob(live);
    const id = jobId(spec.idempotencyKey, attempts + 1);
    const body = createBody(spec, id, this.settings, (fileId) => this.rest.resource('datasets', fileId));
    const path = `v1/accounts/${this.rest.account}/${collection}`;
    const raw = await this.calls.idempotent('create the fine-tuning job', signal, async () => {
      try {
        return await this.rest.request<RawFireworksJob>('POST', path, { query: { [idParam[collection]]: id }, json: body, signal });
      } catch (error) {
        // A create whose answer was lost: the job exists under the id we chose.
        if (error instanceof APIError && error.status === 409) return this.rest.request<RawFireworksJob>('GET', `${path}/${id}`, { signal });
        throw error;
      }
    });
    return toJob(raw);
  }

  async find(idempotencyKey: string, signal?: AbortSignal): Promise<P.Job | null> {
    for (const collection of collections) {
      const { live } = await this.attempts(idempotencyKey, collection, signal);
      if (live) return toJob(live);
    }
    return null;
  }

  async get(id: string, signal?: AbortSignal): Promise<P.Job> {
    return toJob(await this.calls.read(`read job ${id}`, signal, () => this.rest.request<RawFireworksJob>('GET', `v1/accounts/${this.rest.account}/${id}`, { signal })));
  }

  async cancel(id: string, signal?: AbortSignal): Promise<P.Job> {
    const before = await this.get(id, signal);
    await this.calls.read(`cancel job ${id}`, signal, () => this.rest.request('DELETE', `v1/accounts/${this.rest.account}/${id}`, { signal, nullOn404: true }));
    return { ...before, status: 'cancelled', rawStatus: 'JOB_STATE_DELETING' };
  }

  /** Fireworks keeps no event list: ftpipe's events are the job's creation and its current state and progress. */
  async events(id: string, after: string | undefined, signal?: AbortSignal): Promise<P.JobEvent[]> {
    const raw = await this.calls.read(`read job ${id}`, signal, () => this.rest.request<RawFireworksJob>('GET', `v1/accounts/${this.rest.account}/${id}`, { signal }));
    const job = toJob(raw);
    const percent = raw.jobProgress?.percent ?? 0;
    const detail = [percent ? `${percent}%` : '', raw.jobProgress?.epoch ? `epoch ${raw.jobProgress.epoch}` : '', raw.status?.message ?? ''].filter(Boolean).join(', ');
    const events: P.JobEvent[] = [
      { id: `${id}#created`, createdAt: job.createdAt, level: 'info', message: `Created fine-tuning job ${raw.name}` },
      { id: `${id}#${job.rawStatus}#${percent}`, createdAt: job.finishedAt ?? Math.floor(Date.now() / 1000), level: job.status === 'failed' ? 'error' : 'info', message: `${job.rawStatus}${detail ? ` (${detail})` : ''}`, data: { step: percent, total_steps: 100 } },
    ];
    const seen = after ? events.findIndex((e) => e.id === after) : -1;
    return events.slice(seen + 1);
  }

  /** Fireworks' tunable library, with the deprecation dates Fireworks publishes on each model. */
  async models(signal?: AbortSignal): Promise<P.ModelInfo[]> {
    const models: P.ModelInfo[] = [];
    let pageToken = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = await this.calls.read('list models', signal, () =>
        this.rest.request<{ models?: Array<{ name: string; deprecationDate?: { year?: number; month?: number; day?: number } }>; nextPageToken?: string }>('GET', 'v1/accounts/fireworks/models', { query: { pageSize: 200, pageToken: pageToken || undefined }, signal }),
      );
      for (const m of page.models ?? []) models.push({ id: m.name, ownedBy: 'fireworks', ...(isoDate(m.deprecationDate) ? { shutdownDate: isoDate(m.deprecationDate) } : {}) });
      pageToken = page.nextPageToken ?? '';
      if (!pageToken) break;
    }
    return models;
  }

  /** The key's jobs in one collection, in attempt order: the newest one that is not failed or cancelled, and how many exist. */
  private async attempts(idempotencyKey: string, collection: Collection, signal?: AbortSignal): Promise<{ live: RawFireworksJob | null; attempts: number }> {
    let live: RawFireworksJob | null = null;
    let attempts = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const path = `v1/accounts/${this.rest.account}/${collection}/${jobId(idempotencyKey, attempt)}`;
      const raw = await this.calls.read('find the job', signal, () => this.rest.request<RawFireworksJob>('GET', path, { signal, nullOn404: true }));
      if (!raw) break;
      attempts = attempt;
      const status = toJob(raw).status;
      live = status === 'failed' || status === 'cancelled' ? null : raw;
    }
    return { live, attempts };
  }
}

function isoDate(date?: { year?: number; month?: number; day?: number }): string | undefined {
  if (!date?.year || !date.month || !date.day) return undefined;
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
