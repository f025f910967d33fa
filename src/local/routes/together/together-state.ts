/**
 * What the Together flavour keeps beside the core: file validation results, the Together view of each
 * fine-tune (its ft- id, request and output name) pointing at a core job, and dedicated endpoints.
 */
import { VendorRecords } from '../vendor/vendor-records.js';
import type { FlavourOptions } from '../flavours.js';

/** The together-ai SDK's FileResponse processing_status values. */
export type ProcessingStatus = 'PENDING' | 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'INVALID_FORMAT';

export interface TogetherFile {
  id: string;
  /** The core file holding the bytes. */
  coreId: string;
  purpose: 'fine-tune' | 'eval' | 'batch-api';
  processing_status: ProcessingStatus;
  validation_report?: { valid: boolean; dataset_format?: string; nlines?: number; error?: string; error_type?: 'INVALID_FORMAT'; file_id: string };
}

export interface TogetherJob {
  id: string;
  coreId: string;
  model: string;
  suffix: string | null;
  trainingFile: string;
  validationFile: string | null;
  nEpochs: number;
  batchSize: number | 'max';
  learningRate: number;
  nEvals: number;
  nCheckpoints: number;
  trainingMethod: { method: 'sft'; train_on_inputs: boolean | 'auto' } | { method: 'dpo'; dpo_beta?: number };
  trainingType: { type: 'Lora'; lora_r: number; lora_alpha: number; lora_dropout?: number; lora_trainable_modules?: string } | { type: 'Full' };
  randomSeed: number;
  outputName: string;
  createdAt: string;
  cancelRequested: boolean;
}

export interface TogetherEndpoint {
  id: string;
  name: string;
  display_name: string;
  model: string;
  hardware: string;
  autoscaling: { min_replicas: number; max_replicas: number };
  inactive_timeout: number | null;
  state: 'PENDING' | 'STARTING' | 'STARTED' | 'STOPPING' | 'STOPPED' | 'ERROR';
  created_at: string;
  /** When the last start was asked for (the emulator starts an endpoint in about 100 ms). */
  startRequestedMs: number;
}

/** The namespace Together puts fine-tuned models and endpoints under. */
export const TOGETHER_USER = 'local-user';
/** Together's default learning rate (OpenAPI: learning_rate default 0.00001); ftpipe's multiplier scales it. */
export const TOGETHER_DEFAULT_LEARNING_RATE = 1e-5;

export class TogetherState {
  readonly files: VendorRecords<TogetherFile>;
  readonly jobs: VendorRecords<TogetherJob>;
  readonly endpoints: VendorRecords<TogetherEndpoint>;

  constructor(
    dataDir: string,
    readonly options: FlavourOptions,
  ) {
    this.files = new VendorRecords(dataDir, 'together', 'files');
    this.jobs = new VendorRecords(dataDir, 'together', 'jobs');
    this.endpoints = new VendorRecords(dataDir, 'together', 'endpoints');
  }

  jobByOutputName(name: string): TogetherJob | undefined {
    return this.jobs.list().find((job) => job.outputName === name);
  }
}
