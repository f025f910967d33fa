/**
 * The trl Provider: files in a content-addressed store, jobs as detached processes of the Python driver (state in
 * files, keyed by the stage key), chat through an on-demand local server. Plain data in and out, like every other
 * provider; the engine and the stages do not know it trains on this machine.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, FtpipeError } from '../../errors.js';
import { writeFileAtomic } from '../../store/atomic.js';
import { OpenAIApiProvider } from '../openai-api-provider.js';
import { openaiClient } from '../openai-client.js';
import type * as P from '../types.js';
import type { TrlConfig } from './block.js';
import { chatModel } from './chat-models.js';
import { TrlFileStore } from './file-store.js';
import { InferenceServers } from './inference-server.js';
import { metricsCsv, readDriverEvents, toJobEvents } from './job-events.js';
import { baseModelFor, driverSpec, finetuneFor } from './job-spec.js';
import { refreshJob, toJob } from './job-status.js';
import { fineTunedName, specMetadata, TrlJobStore, type JobState } from './job-store.js';
import { launcherCommand, spawnDetached } from './launch.js';
import { isAlive, processStartOf, signalGroup } from './process-state.js';
import { assertReady, preflight, type PythonChoice } from './python-env.js';

export const trlCapabilities: P.ProviderCapabilities = {
  methods: ['supervised', 'dpo'],
  formats: ['chat-jsonl', 'preference-jsonl'],
  userChosenJobIds: false,
  jobMetadata: true,
  jobLookup: 'local-state',
  needsDeployment: false,
};

const metricsSuffix = '-metrics.csv';
const cancelGraceMs = 10_000;

export class TrlProvider implements P.Provider {
  readonly identity: P.ProviderIdentity;
  readonly capabilities = trlCapabilities;
  private readonly files: TrlFileStore;
  private readonly jobs: TrlJobStore;
  private readonly servers: InferenceServers;

  constructor(private readonly options: { config: TrlConfig; python: PythonChoice; env: NodeJS.ProcessEnv; instance: string }) {
    const { config } = options;
    // Stands in for an endpoint in cache keys: responses of one instance and base model are never served for another.
    this.identity = { kind: 'trl', baseUrl: `trl://${options.instance}/${config.baseModel ?? ''}` };
    this.files = new TrlFileStore(join(config.dataDir, 'files'));
    this.jobs = new TrlJobStore(join(config.dataDir, 'jobs'));
    this.servers = new InferenceServers({ python: options.python.python, kind: config.server, device: config.device, dataDir: config.dataDir, env: options.env, vllmArgs: config.vllmArgs, maxLoraRank: config.lora.r });
  }

  async uploadFile(path: string, options: { purpose: 'fine-tune'; filename?: string; onCreated?: (file: P.UploadedFile) => Promise<void> | void }): Promise<P.UploadedFile> {
    const file = await this.files.upload(path, options.filename);
    await options.onCreated?.(file);
    return file;
  }

  listFiles(): Promise<P.UploadedFile[]> {
    return this.files.list();
  }

  async fileContent(id: string): Promise<Buffer> {
    if (id.endsWith(metricsSuffix)) return Buffer.from(metricsCsv(await readDriverEvents(this.jobs.file(id.slice(0, -metricsSuffix.length), 'events.jsonl'))));
    return this.files.content(id);
  }

  async createJob(spec: P.JobSpec, options: { signal?: AbortSignal } = {}): Promise<P.Job> {
    const { config, python, env } = this.options;
    assertReady(await preflight(python, { env, signal: options.signal }), python);
    const trainingFile = await this.files.pathOf(spec.trainingFile);
    const validationFile = spec.validationFile ? await this.files.pathOf(spec.validationFile) : null;
    const id = this.jobs.newId();
    const jobDir = this.jobs.jobDir(id);
    await mkdir(jobDir, { recursive: true });
    const driver = await driverSpec({ jobId: id, spec, config, trainingFile, validationFile, jobDir });
    const specPath = join(jobDir, 'spec.json');
    await writeFileAtomic(specPath, JSON.stringify(driver, null, 2) + '\n');
    const command = await launcherCommand(python.python, config, specPath, env);
    const baseModel = baseModelFor(config, spec.model);
    const state: JobState = {
      id,
      key: spec.idempotencyKey,
      status: 'queued',
      createdAt: Math.floor(Date.now() / 1000),
      finishedAt: null,
      requestedModel: spec.model,
      baseModel,
      fineTunedModel: fineTunedName(baseModel, spec.suffix, id),
      method: driver.method,
      finetune: finetuneFor(config, baseModel),
      trainingFile: spec.trainingFile,
      validationFile: spec.validationFile ?? null,
      hyperparameters: { n_epochs: driver.n_epochs, batch_size: driver.batch_size, learning_rate_multiplier: spec.hyperparameters?.learning_rate_multiplier ?? 'auto', learning_rate: driver.learning_rate, ...(driver.method === 'dpo' ? { beta: driver.beta } : {}) },
      metadata: specMetadata(spec),
      launcher: config.launcher,
      command,
      pid: null,
      processStart: null,
      exitCode: null,
      error: null,
    };
    // Recorded before the process exists: a crash in between leaves a findable job, never an unknown process.
    await this.jobs.write(state);
    const pid = spawnDetached({ python: python.python, command, jobDir, exitFile: join(jobDir, 'exit.json'), env });
    const running: JobState = { ...state, status: 'running', pid, processStart: processStartOf(pid) };
    await this.jobs.write(running);
    return this.view(running);
  }

  async findJob(idempotencyKey: string): Promise<P.Job | null> {
    for (const state of await this.jobs.list()) {
      if (state.key !== idempotencyKey) continue;
      const current = await refreshJob(this.jobs, state);
      // A failed or cancelled job is not adopted: rerunning after a failure means trying again.
      if (current.status !== 'failed' && current.status !== 'cancelled') return this.view(current);
    }
    return null;
  }

  async getJob(id: string): Promise<P.Job> {
    return this.view(await refreshJob(this.jobs, await this.state(id)));
  }

  async listEvents(id: string, options: { after?: string } = {}): Promise<P.JobEvent[]> {
    await this.state(id);
    const events = toJobEvents(id, await readDriverEvents(this.jobs.file(id, 'events.jsonl')));
    const after = options.after ? events.findIndex((e) => e.id === options.after) : -1;
    return events.slice(after + 1);
  }

  async cancelJob(id: string): Promise<P.Job> {
    const state = await refreshJob(this.jobs, await this.state(id));
    if (state.status === 'succeeded' || state.status === 'failed' || state.status === 'cancelled') return this.view(state);
    await this.jobs.write({ ...state, cancelRequested: true });
    if (state.pid) {
      signalGroup(state.pid, 'SIGTERM');
      const deadline = Date.now() + cancelGraceMs;
      while (isAlive(state.pid, state.processStart) && Date.now() < deadline) await sleep(100);
      if (isAlive(state.pid, state.processStart)) signalGroup(state.pid, 'SIGKILL');
      while (isAlive(state.pid, state.processStart)) await sleep(50);
    }
    return this.getJob(id);
  }

  async deploy(model: string): Promise<P.Deployment> {
    return { name: model, model };
  }

  async teardown(): Promise<void> {}

  async chat(request: P.ChatRequest, options: { signal?: AbortSignal } = {}): Promise<P.ChatResponse> {
    const { id, entry } = await chatModel(request.model, this.options.config, this.jobs);
    const endpoint = await this.servers.endpointFor(id, entry, options.signal);
    const client = new OpenAIApiProvider({ client: openaiClient({ apiKey: endpoint.apiKey, baseURL: endpoint.baseUrl, timeoutMs: 600_000 }), identity: this.identity, capabilities: this.capabilities });
    return client.chat({ ...request, model: id }, options);
  }

  async listModels(): Promise<P.ModelInfo[]> {
    const fineTuned = (await this.jobs.list()).filter((j) => j.status === 'succeeded').map((j) => ({ id: j.fineTunedModel, ownedBy: 'trl' }));
    return [{ id: this.options.config.baseModel ?? 'tiny', ownedBy: 'trl' }, ...fineTuned];
  }

  async close(): Promise<void> {
    await this.servers.close();
  }

  private async state(id: string): Promise<JobState> {
    const state = await this.jobs.read(id);
    if (!state) throw new FtpipeError(`no job ${id} on the trl provider (${this.jobs.dir})`, 'PROVIDER_NOT_FOUND', { exitCode: ExitCode.usage, hint: 'jobs live in the provider\'s data_dir; a fresh clone has none' });
    return state;
  }

  private async view(state: JobState): Promise<P.Job> {
    const events = await readDriverEvents(this.jobs.file(state.id, 'events.jsonl'));
    return toJob(state, events, `${state.id}${metricsSuffix}`);
  }
}
