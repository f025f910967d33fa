/**
 * ftpipe's library API: `import { recordingClient, defineStage } from 'ftpipe'`.
 * Kept light: nothing here loads the engine or the CLI.
 */
export { recordingClient } from './record/recording-client.js';
export type { RecordingClient, RecordingOptions, RecordingParams, RecordingCompletions, Recorder } from './record/recording-client.js';
export { JsonlDatasetStore } from './record/jsonl-dataset-store.js';
export type { DatasetStore, DatasetInfo, DatasetRecord, DatasetReadOptions, DatasetLineProblem } from './record/dataset-store.js';
export { defineStage } from './stage/types.js';
export type {
  JsonValue,
  OutputSpec,
  PaidAction,
  StageDefinition,
  StageResult,
  StageContext,
  StageState,
  Progress,
  Logger,
} from './stage/types.js';
export type {
  Provider,
  ProviderIdentity,
  ProviderCapabilities,
  ProviderConfig,
  ProviderFactory,
  UploadedFile,
  JobSpec,
  Job,
  JobStatus,
  JobError,
  JobEvent,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ModelInfo,
  Deployment,
} from './providers/types.js';
export { FtpipeError } from './errors.js';
