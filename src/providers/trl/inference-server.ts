/**
 * OpenAI-compatible chat for the base and fine-tuned models, started on demand on 127.0.0.1 with a fresh token:
 * the driver's transformers server (one process for every model; CPU or GPU), or vLLM's OpenAI server
 * (`server: vllm`; one per base model, fine-tuned LoRA adapters loaded into it at runtime). Stopped by close().
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { FtpipeError } from '../../errors.js';
import { writeFileAtomic } from '../../store/atomic.js';
import { abortableSleep } from '../../remote/abortable-sleep.js';
import { driverEnv, lastLines } from './python-env.js';

export interface ModelEntry {
  /** A base model directory (or Hugging Face id) — for a full fine-tune, the fine-tuned model itself. */
  path: string;
  /** A LoRA adapter directory on top of path. */
  adapter: string | null;
  /** The id the plain model at `path` is served under (vLLM serves adapters on top of it). */
  baseId: string;
}

export interface Endpoint {
  baseUrl: string;
  apiKey: string;
}

interface Running {
  endpoint: Endpoint;
  process: ResultPromise;
  models: Set<string>;
}

export class InferenceServers {
  private readonly running = new Map<string, Promise<Running>>();
  private readonly registry = new Map<string, ModelEntry>();
  private readonly registryFile: string;

  constructor(private readonly options: { python: string; kind: 'transformers' | 'vllm'; device: string; dataDir: string; env: NodeJS.ProcessEnv; vllmArgs: string[]; maxLoraRank: number }) {
    const dir = join(options.dataDir, 'serve');
    mkdirSync(dir, { recursive: true });
    this.registryFile = join(dir, `models-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  }

  /** The endpoint serving `id` (started, and the model registered, if needed). */
  async endpointFor(id: string, entry: ModelEntry, signal?: AbortSignal): Promise<Endpoint> {
    this.registry.set(id, entry);
    if (this.options.kind === 'transformers') {
      await writeFileAtomic(this.registryFile, JSON.stringify({ models: Object.fromEntries(this.registry) }, null, 2));
      return (await this.start('transformers', () => this.startTransformers(signal))).endpoint;
    }
    const server = await this.start(entry.path, () => this.startVllm(entry, signal));
    if (entry.adapter && !server.models.has(id)) await loadLora(server, id, entry.adapter, signal);
    return server.endpoint;
  }

  async close(): Promise<void> {
    const all = await Promise.allSettled(this.running.values());
    this.running.clear();
    await Promise.all(all.map(async (r) => (r.status === 'fulfilled' ? stop(r.value.process) : undefined)));
  }

  private start(key: string, launch: () => Promise<Running>): Promise<Running> {
    let server = this.running.get(key);
    if (!server) {
      server = launch();
      this.running.set(key, server);
      server.catch(() => this.running.delete(key)); // a failed start is retried by the next request
    }
    return server;
  }

  private async startTransformers(signal?: AbortSignal): Promise<Running> {
    const token = randomBytes(24).toString('hex');
    const child = execa(this.options.python, ['-m', 'ftpipe_trl.serve', '--models', this.registryFile, '--device', this.options.device], {
      env: driverEnv(this.options.env, { FTPIPE_TRL_SERVER_TOKEN: token }),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      buffer: false,
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.includes('"listening"'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8000)));
      child.then((result) => reject(serverError('the trl inference server', result.exitCode, err)));
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    }).catch(async (error) => {
      await stop(child);
      throw error;
    });
    return { endpoint: { baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: token }, process: child, models: new Set() };
  }

  private async startVllm(entry: ModelEntry, signal?: AbortSignal): Promise<Running> {
    const token = randomBytes(24).toString('hex');
    const port = await freePort();
    const lora = ['--enable-lora', '--max-lora-rank', String(Math.max(16, this.options.maxLoraRank))];
    const args = ['-m', 'vllm.entrypoints.openai.api_server', '--host', '127.0.0.1', '--port', String(port), '--model', entry.path, '--served-model-name', entry.baseId, '--api-key', token, ...lora, ...this.options.vllmArgs];
    let err = '';
    const child = execa(this.options.python, args, { env: driverEnv(this.options.env, { VLLM_ALLOW_RUNTIME_LORA_UPDATING: 'True' }), extendEnv: false, reject: false, stdin: 'ignore', buffer: false });
    child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8000)));
    child.stdout!.resume();
    let exited: number | null | undefined;
    child.then((result) => (exited = result.exitCode ?? null));
    const endpoint = { baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: token };
    // vLLM prints no machine-readable "ready": its model list answering is the signal.
    for (;;) {
      if (exited !== undefined) throw serverError('vLLM', exited, err);
      const ok = await fetch(`${endpoint.baseUrl}/models`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.ok, () => false);
      if (ok) break;
      try {
        await abortableSleep(1000, signal);
      } catch (error) {
        await stop(child);
        throw error;
      }
    }
    return { endpoint, process: child, models: new Set([entry.baseId]) };
  }
}

async function loadLora(server: Running, id: string, adapter: string, signal?: AbortSignal): Promise<void> {
  const response = await fetch(`${server.endpoint.baseUrl.replace(/\/v1$/, '')}/v1/load_lora_adapter`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.endpoint.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ lora_name: id, lora_path: adapter }),
    signal,
  });
  if (!response.ok) throw new FtpipeError(`vLLM could not load the LoRA adapter of ${id}: ${await response.text()}`, 'PROVIDER_ERROR', { hint: 'check max_lora_rank (vllm_args: [--max-lora-rank, "64"]) against lora_r' });
  server.models.add(id);
}

function serverError(what: string, exitCode: number | null | undefined, stderr: string): FtpipeError {
  return new FtpipeError(`${what} exited (code ${exitCode ?? 'none'}) before it was ready: ${lastLines(stderr, 6) || 'no output'}`, 'PROVIDER_ERROR', {
    hint: what === 'vLLM' ? 'check that vLLM is installed in the trl Python and a GPU is free, or use server: transformers' : 'run `npx ftpipe trl check` to see what the Python environment lacks',
  });
}

async function stop(child: ResultPromise): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await child.catch(() => {});
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
