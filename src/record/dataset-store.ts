/**
 * The storage behind recorded datasets. JSONL files in a directory today (jsonl-dataset-store.ts);
 * the interface is small so a database or object-store backend can be added without touching callers.
 */

/** One recorded example: chat messages plus string tags (the tags never go into training files). */
export interface DatasetRecord {
  messages: Array<Record<string, unknown>>;
  /** Tool definitions the request offered, kept so tool-calling examples stay valid for fine-tuning. */
  tools?: unknown[];
  metadata: Record<string, string>;
}

export interface DatasetInfo {
  name: string;
  /** Where the records live (a file path for the JSONL store). */
  location: string;
  bytes: number;
  /** Lines in the dataset (records, counting a torn one). */
  records: number;
  modifiedAt: Date;
}

/** A line that could not be read as a record: a torn line from a crashed writer, or a hand edit. */
export interface DatasetLineProblem {
  file: string;
  line: number;
  message: string;
}

export interface DatasetReadOptions {
  /** Keep only records whose metadata matches (see metadata-filter.ts). */
  filter?: (record: DatasetRecord) => boolean;
  /** Called for each skipped line; reading goes on. */
  onProblem?: (problem: DatasetLineProblem) => void;
  signal?: AbortSignal;
}

export interface DatasetStore {
  list(): Promise<DatasetInfo[]>;
  read(name: string, options?: DatasetReadOptions): AsyncIterable<DatasetRecord>;
  /** Appends one record atomically: concurrent appenders (threads or processes) never interleave. */
  append(name: string, record: DatasetRecord): Promise<void>;
}
