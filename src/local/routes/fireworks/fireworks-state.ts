/** What the Fireworks flavour keeps beside the core: datasets, fine-tuning jobs (SFT and DPO), deployments. */
import { VendorRecords } from '../vendor/vendor-records.js';
import type { FlavourOptions } from '../flavours.js';
import { permissionDenied } from './fireworks-errors.js';

export interface FireworksDataset {
  id: string;
  displayName: string;
  state: 'UPLOADING' | 'READY';
  status: { code: string; message: string };
  exampleCount: string;
  format: 'CHAT' | 'FORMAT_UNSPECIFIED';
  createTime: string;
  /** The core file with the bytes, once uploaded and valid. */
  coreFileId: string | null;
  /** preference data (DPO) or chat (SFT). */
  preference: boolean;
}

export type JobCollection = 'supervisedFineTuningJobs' | 'dpoJobs';

export interface FireworksJob {
  collection: JobCollection;
  id: string;
  coreId: string;
  baseModel: string;
  dataset: string;
  evaluationDataset: string | null;
  outputModel: string;
  displayName: string;
  epochs: number;
  learningRate: number;
  batchSize: number | null;
  loraRank: number;
  klBeta: number | null;
  createTime: string;
}

export interface FireworksDeployment {
  id: string;
  baseModel: string;
  displayName: string;
  minReplicaCount: number;
  maxReplicaCount: number;
  acceleratorType: string;
  acceleratorCount: number;
  state: 'CREATING' | 'READY' | 'DELETING' | 'FAILED';
  createTime: string;
  createdMs: number;
}

/** Fireworks' default LoRA learning rate (firectl's default); ftpipe's multiplier scales it. */
export const FIREWORKS_DEFAULT_LEARNING_RATE = 1e-4;
/** The seed the emulator trains with: Fireworks' create request takes none. */
export const FIREWORKS_EMULATOR_SEED = 42;

export class FireworksState {
  readonly account: string;
  readonly datasets: VendorRecords<FireworksDataset>;
  readonly jobs: VendorRecords<FireworksJob>;
  readonly deployments: VendorRecords<FireworksDeployment>;

  constructor(dataDir: string, options: FlavourOptions) {
    this.account = options.account ?? 'local-account';
    this.datasets = new VendorRecords(dataDir, 'fireworks', 'datasets');
    this.jobs = new VendorRecords(dataDir, 'fireworks', 'jobs');
    this.deployments = new VendorRecords(dataDir, 'fireworks', 'deployments');
  }

  /** Requests name their account in the path: only this server's own account is there. */
  checkAccount(account: string): void {
    if (account !== this.account) throw permissionDenied(`Permission denied: account "${account}" does not exist or your API key has no access to it.`);
  }

  resource(kind: string, id: string): string {
    return `accounts/${this.account}/${kind}/${id}`;
  }

  /** The id part of "accounts/<a>/<kind>/<id>" (or the id itself). */
  idIn(name: string, kind: string): string | undefined {
    const match = new RegExp(`^accounts/([^/]+)/${kind}/([^/#]+)$`).exec(name);
    if (!match) return name.includes('/') ? undefined : name;
    return match[1] === this.account ? match[2] : undefined;
  }

  jobByOutputModel(model: string): FireworksJob | undefined {
    return this.jobs.list().find((job) => this.resource('models', job.outputModel) === model);
  }
}
