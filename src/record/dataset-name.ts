import { join, resolve } from 'node:path';
import { FtpipeError, ExitCode } from '../errors.js';

// A plain file name: no separators and no leading dot, so a name can never leave the datasets directory.
const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkDatasetName(name: unknown): string {
  if (typeof name === 'string' && DATASET_NAME.test(name)) return name;
  throw new FtpipeError(`invalid dataset name ${JSON.stringify(name)}`, 'DATASET_NAME_INVALID', {
    hint: 'use letters, digits, ".", "_" and "-" (starting with a letter or digit, at most 128 characters), e.g. "support-triage"',
    exitCode: ExitCode.usage,
  });
}

/** The JSONL file of a dataset in a datasets directory. */
export function datasetFile(dir: string, name: string): string {
  return join(dir, `${checkDatasetName(name)}.jsonl`);
}

/** Where datasets live unless told otherwise: $FTPIPE_DATASETS_DIR, else .ftpipe/datasets under `base`. */
export function defaultDatasetsDir(base: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return env.FTPIPE_DATASETS_DIR ? resolve(base, env.FTPIPE_DATASETS_DIR) : join(base, '.ftpipe', 'datasets');
}
