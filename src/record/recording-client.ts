/**
 * recordingClient(): an `openai` client whose chat.completions.create also appends every successful
 * call to a dataset, for later fine-tuning. Recording sits off the caller's path: the reply (or each
 * stream chunk) goes to the caller first, the append runs afterwards, and a failing append is
 * reported through onError, never thrown into the caller.
 */
import type OpenAI from 'openai';
import type { APIPromise } from 'openai';
import { Stream } from 'openai/core/streaming';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { checkDatasetName, defaultDatasetsDir } from './dataset-name.js';
import type { DatasetRecord, DatasetStore } from './dataset-store.js';
import { JsonlDatasetStore } from './jsonl-dataset-store.js';
import { recordsFromReplies, repliesOfCompletion, StreamedReplies, type AssistantReply } from './completion-record.js';

export interface RecordingOptions {
  /** Where records go (default: a JsonlDatasetStore on `dir`). */
  store?: DatasetStore;
  /** Directory of the default JSONL store: $FTPIPE_DATASETS_DIR, else .ftpipe/datasets (from the cwd). */
  dir?: string;
  /** Dataset for calls that name none; without it such calls are not recorded. */
  defaultDataset?: string;
  /** Tags added to every record (a call's own `metadata` wins). */
  metadata?: Record<string, string>;
  /** Told about records that could not be appended (default: console.warn). */
  onError?: (error: unknown, context: { dataset: string }) => void;
}

/** What recording adds to the request params; both are removed before the request is sent. */
export interface RecordingParams {
  /** Dataset to append this call to (overrides defaultDataset). */
  dataset?: string;
  /**
   * Tags stored with the record. Sent to the API too only with `store: true` (OpenAI's own
   * stored-completion metadata, which the API refuses without `store`).
   */
  metadata?: Record<string, string> | null;
}

type RequestOptions = Parameters<OpenAI['chat']['completions']['create']>[1];

export interface RecordingCompletions {
  create(body: ChatCompletionCreateParamsNonStreaming & RecordingParams, options?: RequestOptions): APIPromise<ChatCompletion>;
  create(body: ChatCompletionCreateParamsStreaming & RecordingParams, options?: RequestOptions): APIPromise<Stream<ChatCompletionChunk>>;
  create(body: ChatCompletionCreateParamsBase & RecordingParams, options?: RequestOptions): APIPromise<Stream<ChatCompletionChunk> | ChatCompletion>;
}

export interface Recorder {
  readonly store: DatasetStore;
  /** Resolves when every append started so far has finished (call before a script exits). */
  flush(): Promise<void>;
}

export type RecordingClient = Omit<OpenAI, 'chat'> & {
  chat: Omit<OpenAI['chat'], 'completions'> & { completions: Omit<OpenAI['chat']['completions'], 'create'> & RecordingCompletions };
  recorder: Recorder;
};

export function recordingClient(client: OpenAI, options: RecordingOptions = {}): RecordingClient {
  const store = options.store ?? new JsonlDatasetStore(options.dir ?? defaultDatasetsDir());
  if (options.defaultDataset !== undefined) checkDatasetName(options.defaultDataset);
  const pending = new Set<Promise<void>>();
  const onError = options.onError ?? ((error, { dataset }) => console.warn(`ftpipe: could not record into dataset "${dataset}": ${(error as Error)?.message ?? error}`));

  const save = (dataset: string, records: DatasetRecord[]) => {
    // setImmediate: the caller gets its reply before any file work starts.
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        for (const record of records) await store.append(dataset, record);
      })
      .catch((error) => onError(error, { dataset }))
      .finally(() => pending.delete(task));
    pending.add(task);
  };

  const completions = client.chat.completions;
  const create = (body: ChatCompletionCreateParamsBase & RecordingParams, requestOptions?: RequestOptions) => {
    const { dataset: named, metadata, ...rest } = body;
    const dataset = named ?? options.defaultDataset;
    // A bad name is the caller's bug: say so before the request costs anything.
    if (dataset !== undefined) checkDatasetName(dataset);
    const request: ChatCompletionCreateParamsBase = body.store && metadata ? { ...rest, metadata } : rest;
    const sent = completions.create(request, requestOptions) as APIPromise<ChatCompletion | Stream<ChatCompletionChunk>>;
    if (dataset === undefined) return sent;
    const tags = { ...options.metadata, ...(metadata ?? {}) };
    const record = (replies: () => AssistantReply[], model: string, created: number, requestId: string | null) => {
      try {
        save(dataset, recordsFromReplies(request, replies(), { model, created, requestId, tags }));
      } catch (error) {
        onError(error, { dataset }); // an odd response shape must not fail the caller's call
      }
    };
    // _thenUnwrap keeps the result an APIPromise, so .withResponse() and .asResponse() still work.
    return sent._thenUnwrap((data, props) => {
      const requestId = props.response.headers.get('x-request-id');
      if (isStream(data)) return recordWhenComplete(data, client, (acc) => record(() => acc.replies(), acc.model, acc.created, requestId));
      record(() => repliesOfCompletion(data), data.model, data.created, requestId);
      return data;
    });
  };

  const recorder: Recorder = {
    store,
    flush: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
  const completionsView = forward(completions, { create });
  const chatView = forward(client.chat, { completions: completionsView });
  return forward(client, { chat: chatView, recorder }) as unknown as RecordingClient;
}

/** A stream that hands each chunk on at once and records the whole reply when the stream ends normally. */
function recordWhenComplete(stream: Stream<ChatCompletionChunk>, client: OpenAI, onComplete: (acc: StreamedReplies) => void): Stream<ChatCompletionChunk> {
  async function* chunks() {
    const acc = new StreamedReplies();
    for await (const chunk of stream) {
      acc.add(chunk);
      yield chunk;
    }
    // Reached only when the stream ended: an error or the caller breaking out records nothing.
    onComplete(acc);
  }
  // The stream's own class, in case the caller's `openai` is another copy than ours.
  const StreamClass = stream.constructor as typeof Stream;
  return new StreamClass(() => chunks(), stream.controller, client);
}

function isStream(data: ChatCompletion | Stream<ChatCompletionChunk>): data is Stream<ChatCompletionChunk> {
  return data instanceof Stream || (typeof (data as unknown as Stream<ChatCompletionChunk>)[Symbol.asyncIterator] === 'function' && 'controller' in data);
}

/**
 * A view of `target` with some properties replaced. Other methods are bound to the real object,
 * because the SDK's classes use #private fields that a Proxy receiver cannot reach.
 */
function forward<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property)) return overrides[property];
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' && property !== 'constructor' ? value.bind(object) : value;
    },
  });
}
